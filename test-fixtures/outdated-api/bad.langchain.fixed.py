from langchain.agents import initialize_agent, AgentType
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import PromptTemplate
from langchain_openai import ChatOpenAI

llm = ChatOpenAI(model="gpt-4o-mini", temperature=0)
prompt = PromptTemplate.from_template("Write a one-line tagline for {product}.")
tagline_chain = prompt | llm | StrOutputParser()  # expect: outdated-api


def tagline(product: str) -> str:
    return tagline_chain.invoke({"product": product})


def research_agent(tools):
    return initialize_agent(tools, llm, agent=AgentType.ZERO_SHOT_REACT_DESCRIPTION)  # expect: outdated-api
