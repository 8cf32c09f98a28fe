/** Finding a free TCP port on 127.0.0.1: the scripts' own helper, for the tests too. */
export { freePort } from '../../scripts/lib/free-port.ts';
