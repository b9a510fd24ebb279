/** Component tests: unmount what each test rendered, so that tests do not see each other's DOM. */
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());
