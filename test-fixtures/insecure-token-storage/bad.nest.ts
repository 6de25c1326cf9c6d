import { Body, Controller, Post } from '@nestjs/common';

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService, private readonly jwtService: JwtService) {}

  @Post('login')
  async login(@Body() dto: LoginDto) {
    const user = await this.auth.validateUser(dto.email, dto.password);
    return { access_token: this.jwtService.sign({ sub: user.id }) }; // expect: insecure-token-storage
  }
}
// vibeguard-disable-file missing-rate-limit -- this fixture is about insecure-token-storage; missing-rate-limit has fixtures of its own
