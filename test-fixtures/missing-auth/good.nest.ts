import { Controller, Delete, Get, Param, Post, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

@Controller('admin')
@UseGuards(AuthGuard('jwt'))
export class AdminController {
  @Get('users')
  list() {
    return this.users.findAll();
  }

  @Delete('users/:id')
  remove(@Param('id') id: string) {
    return this.users.remove(id);
  }
}

@Controller('billing')
export class BillingController {
  @Post('refunds')
  @UseGuards(AuthGuard('jwt'))
  refund() {
    return this.billing.refund();
  }
}
