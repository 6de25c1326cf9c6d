import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Team } from './team.entity';

@Entity('app_users')
@Index(['teamId', 'role'])
export class AppUser {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ unique: true })
  email!: string;

  @Column({ name: 'display_name' })
  displayName!: string;

  @Index()
  @Column()
  lastSeenAt!: Date;

  @Column()
  teamId!: string;

  @Column()
  role!: string;

  @Column({ type: 'enum', enum: ['active', 'suspended'] })
  state!: string;

  @ManyToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'teamId' })
  team!: Team;
}
