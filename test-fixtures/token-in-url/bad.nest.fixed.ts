import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthService } from './auth.service';

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Get('google/callback')
  async googleCallback(@Query('code') code: string, @Res() res: Response) {
    const result = await this.auth.loginWithGoogle(code);
    res.cookie('access_token', result.accessToken, { httpOnly: true, secure: true, sameSite: 'lax' });
    return res.status(302).redirect(`${process.env.FRONTEND_URL}/auth/done`); // expect: token-in-url
  }
}
