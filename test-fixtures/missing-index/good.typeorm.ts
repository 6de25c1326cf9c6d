import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Like, Repository } from 'typeorm';
import { AppUser } from './nest/users/user.entity';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(AppUser) private readonly users: Repository<AppUser>) {}

  // Primary key, unique column, @Index() property, the leading column of the class-level @Index.
  one(id: string) { return this.users.findOneBy({ id }); }
  byEmail(email: string) { return this.users.findOne({ where: { email } }); }
  recent(lastSeenAt: Date) { return this.users.find({ where: { lastSeenAt } }); }
  team(teamId: string, role: string) { return this.users.find({ where: { teamId, role } }); }
  // An enum column: a handful of values, an index on it alone rarely pays.
  suspended() { return this.users.count({ where: { state: 'suspended' } }); }
}

// A pattern match no B-tree index serves.
export const like = (users: Repository<AppUser>) => users.find({ where: { displayName: Like('%smith') } });
