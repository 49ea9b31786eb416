import { benchCommand } from './bench.js';
import { checkCommand } from './check.js';
import { cleanCommand } from './clean.js';
import { clusterCommand } from './cluster.js';
import { diffCommand } from './diff.js';
import { doctorCommand } from './doctor.js';
import { exportCommand } from './export.js';
import { imagesCommand } from './images.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';

/** Every CLI command, one file each. */
export const commands = [
  runCommand,
  checkCommand,
  exportCommand,
  reportCommand,
  diffCommand,
  serveCommand,
  clusterCommand,
  imagesCommand,
  doctorCommand,
  cleanCommand,
  benchCommand,
];
