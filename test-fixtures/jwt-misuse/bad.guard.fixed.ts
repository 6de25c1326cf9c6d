import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';

@Injectable()
export class RolesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    const token = String(request.headers.authorization ?? '').split(' ')[1];
    const claims = jwt.verify(token, process.env.JWT_SECRET, { algorithms: ['HS256'] }) as { roles?: string[] } | null; // expect: jwt-misuse
    return !!claims?.roles?.includes('admin');
  }
}
