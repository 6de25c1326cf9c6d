module.exports = {
  apps: [
    {
      name: 'feeds',
      script: './bad.pm2.js',
      instances: 'max',
      exec_mode: 'cluster',
      env: { NODE_ENV: 'production' },
    },
  ],
};
