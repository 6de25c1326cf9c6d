import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';

@Injectable()
export class ReportsService {
  constructor(private readonly mailer: Mailer) {}

  @Cron(CronExpression.EVERY_DAY_AT_MIDNIGHT) // expect: duplicated-scheduler
  async emailDailyReport() {
    await this.mailer.send('ops@example.com', await this.buildReport());
  }
}
