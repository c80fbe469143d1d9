/** The message S3 sends once to a queue when a bucket's notification configuration is saved. */
export function buildS3TestEvent(bucket: string, time: Date): string {
  return JSON.stringify({
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: time.toISOString(),
    Bucket: bucket,
    RequestId: 'LOCAL',
    HostId: 'LOCAL',
  });
}
