const { Configuration, OpenAIApi } = require('openai');

const configuration = new Configuration({ apiKey: process.env.OPENAI_API_KEY }); // expect: outdated-api
const openai = new OpenAIApi(configuration); // expect: outdated-api

async function answer(question) {
  const completion = await openai.createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] });
  return completion.data.choices[0].message.content;
}

module.exports = { answer };
