import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ReportsService } from './bad.nest';

@Module({ imports: [ScheduleModule.forRoot()], providers: [ReportsService] })
export class AppModule {}
