import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppUser } from './nest/users/user.entity';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(AppUser) private readonly users: Repository<AppUser>) {}

  byName(displayName: string) {
    return this.users.findOneBy({ displayName }); // expect: missing-index
  }

  inRole(role: string) {
    return this.users.find({ where: { role }, take: 50 }); // expect: missing-index
  }
}
