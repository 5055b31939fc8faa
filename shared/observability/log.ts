// The handlers' logger: JSON lines with level, message, timestamp, service and correlation ids
// (runId, batchId, campaignId where known), personal data masked (redact.ts). In Lambda the lines
// go out through Powertools Logger (stdout, CloudWatch); locally the runtime installs a sink
// (sink.ts) and the same records go to the data dir instead, so `touchpoint logs` shows them and
// the CLI's own stdout stays clean.
import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import { maskText, redact } from './redact.js';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** Ids that tie a line to a run, a batch, a campaign or a request. Never a customer's address. */
export interface Correlation {
  runId?: string;
  batchId?: string;
  campaignId?: string;
  requestId?: string;
  importId?: string;
}

export type LogAttrs = Record<string, unknown>;

export interface Log {
  debug(message: string, attrs?: LogAttrs | Error): void;
  info(message: string, attrs?: LogAttrs | Error): void;
  warn(message: string, attrs?: LogAttrs | Error): void;
  error(message: string, attrs?: LogAttrs | Error): void;
  /** The same log with more correlation ids on every line. */
  with(keys: Correlation): Log;
}

/** One redacted log record, as written to CloudWatch and to the local sink. */
export interface LogRecord {
  level: LogLevel;
  message: string;
  timestamp: string;
  service: string;
  [key: string]: unknown;
}

export type LogSink = (record: LogRecord) => void;

let sink: LogSink | undefined;

/** Locally: every handler log line goes to `write` instead of stdout. Returns the uninstall. */
export function installLogSink(write: LogSink): () => void {
  sink = write;
  return () => {
    if (sink === write) sink = undefined;
  };
}

/** Powertools' record with our field names, its extra attributes redacted. */
class RedactingFormatter extends LogFormatter {
  override formatAttributes(
    attributes: Parameters<LogFormatter['formatAttributes']>[0],
    additional: Parameters<LogFormatter['formatAttributes']>[1],
  ): LogItem {
    const masked = redact(additional);
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: maskText(attributes.message),
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        xray_trace_id: attributes.xRayTraceId,
        function_request_id: attributes.lambdaContext?.awsRequestId,
        cold_start: attributes.lambdaContext?.coldStart,
      },
    }).addAttributes(
      masked !== null && typeof masked === 'object' && !Array.isArray(masked) ? { ...masked } : {},
    );
  }
}

const loggers = new Map<string, Logger>();

function powertools(service: string): Logger {
  let logger = loggers.get(service);
  if (!logger) {
    logger = new Logger({ serviceName: service, logFormatter: new RedactingFormatter() });
    loggers.set(service, logger);
  }
  return logger;
}

function attrsOf(attrs: LogAttrs | Error | undefined): LogAttrs {
  if (attrs === undefined) return {};
  return attrs instanceof Error ? { error: attrs } : attrs;
}

function emit(service: string, level: LogLevel, message: string, attrs: LogAttrs): void {
  if (sink) {
    const masked = redact(attrs);
    sink({
      level,
      message: maskText(message),
      timestamp: new Date().toISOString(),
      service,
      ...(masked !== null && typeof masked === 'object' && !Array.isArray(masked) ? masked : {}),
    });
    return;
  }
  const logger = powertools(service);
  if (level === 'DEBUG') logger.debug(message, attrs);
  else if (level === 'INFO') logger.info(message, attrs);
  else if (level === 'WARN') logger.warn(message, attrs);
  else logger.error(message, attrs);
}

function keyed(service: string, keys: Correlation): Log {
  const at = (level: LogLevel) => (message: string, attrs?: LogAttrs | Error) =>
    emit(service, level, message, { ...keys, ...attrsOf(attrs) });
  return {
    debug: at('DEBUG'),
    info: at('INFO'),
    warn: at('WARN'),
    error: at('ERROR'),
    with: (more) => keyed(service, { ...keys, ...more }),
  };
}

/** The log of one service (e.g. `touchpoint-send-batch`). */
export function createLog(service: string, keys: Correlation = {}): Log {
  return keyed(service, keys);
}
