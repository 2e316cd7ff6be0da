// The running test stack, as the aggregate runner (tests/run.ts) hands it to every suite.
export interface StackEnv {
  apiUrl: string;
  dbUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  webUrl: string;
  jwtSecret: string;
  logDir: string;
  graphDoubleUrl: string;
}

export function stackEnv(): StackEnv {
  const need = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run this suite through npm test (tests/run.ts), which starts the test stack`);
    return value;
  };
  return {
    apiUrl: need('STACK_API_URL'),
    dbUrl: need('STACK_DB_URL'),
    anonKey: need('STACK_ANON_KEY'),
    serviceRoleKey: need('STACK_SERVICE_ROLE_KEY'),
    webUrl: process.env.STACK_WEB_URL ?? '',
    jwtSecret: need('STACK_JWT_SECRET'),
    logDir: process.env.STACK_LOG_DIR ?? '',
    graphDoubleUrl: process.env.GRAPH_DOUBLE_URL ?? '',
  };
}
