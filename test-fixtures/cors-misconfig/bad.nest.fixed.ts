import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

// The origins allowed to call this API with credentials, comma-separated (https://app.example.com,...).
const CORS_ALLOWED_ORIGINS = (process.env.CORS_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableCors({ origin: CORS_ALLOWED_ORIGINS, credentials: true }); // expect: cors-misconfig
  await app.listen(3000);
}
bootstrap();
