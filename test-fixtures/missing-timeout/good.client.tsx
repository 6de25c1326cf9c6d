'use client';
import { useEffect, useState } from 'react';

// Browser code: a stalled request holds one user's page, not a server worker.
export function Orders() {
  const [orders, setOrders] = useState([]);
  useEffect(() => {
    fetch('https://api.example.com/orders').then((r) => r.json()).then(setOrders);
  }, []);
  return <ul>{orders.length}</ul>;
}
