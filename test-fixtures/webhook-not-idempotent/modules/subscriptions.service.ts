import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

// The service the NestJS + TypeORM controller fixture injects.
@Injectable()
export class SubscriptionsService {
  constructor(@InjectRepository(Object) private readonly payments: Repository<{ id?: number; invoiceId: string; amount: number }>) {}

  async recordPayment(event: { data: { object: { id: string; amount_paid: number } } }) {
    await this.payments.insert({ invoiceId: event.data.object.id, amount: event.data.object.amount_paid });
  }
}
