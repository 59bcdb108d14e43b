import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { queryClient } from '../shared/query';

// Testing Library only cleans up by itself when test globals are on; they are off here.
afterEach(() => {
  cleanup();
  // every test starts with an empty server-state cache
  queryClient.clear();
});
