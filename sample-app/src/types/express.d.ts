// Adds the user that requireAuth attaches to every authenticated request.
declare global {
  namespace Express {
    interface Request {
      user?: { id: string; email: string };
    }
  }
}

export {};
