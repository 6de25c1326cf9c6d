import { json, type LoaderFunctionArgs } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';

// The loader runs on the server even though the file also holds the page component.
export async function loader({ params }: LoaderFunctionArgs) {
  const res = await fetch(`https://catalog.example.com/products/${params.id}`, { signal: AbortSignal.timeout(10_000) }); // expect: missing-timeout
  return json(await res.json());
}

export default function Product() {
  const product = useLoaderData<typeof loader>();
  return <h1>{product.name}</h1>;
}
