import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';

@Injectable()
export class RolesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    const token = String(request.headers.authorization ?? '').split(' ')[1];
    const claims = jwt.decode(token) as { roles?: string[] } | null; // expect: jwt-misuse
    return !!claims?.roles?.includes('admin');
  }
}
