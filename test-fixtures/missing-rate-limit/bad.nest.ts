import { Body, Controller, Post } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';

@Controller('auth')
export class AuthController {
  // @Throttle sets the numbers, but nothing enforces them without ThrottlerGuard.
  @Post('login') // expect: missing-rate-limit
  @Throttle({ default: { limit: 5, ttl: 60000 } })
  login(@Body() body: LoginDto) {
    return this.auth.login(body);
  }
}
