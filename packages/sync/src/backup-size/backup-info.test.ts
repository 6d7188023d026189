import { describe, expect, it } from 'vitest';
import { baseBackupLocation, parseBackupInfo, splitLocation } from './backup-info.ts';

const info = `backup_label='START WAL LOCATION: 0/2000028 (file 000000010000000000000002)'
backup_name=None
begin_offset=40
begin_wal=000000010000000000000002
deduplicated_size=None
size=31457280
status=DONE
`;

describe('parseBackupInfo', () => {
  it('reads the size and status Barman wrote', () => {
    expect(parseBackupInfo(info)).toEqual({
      sizeBytes: 31_457_280,
      deduplicatedSizeBytes: null,
      status: 'DONE',
    });
  });

  it('reads a deduplicated size and CRLF lines', () => {
    expect(parseBackupInfo('size=100\r\ndeduplicated_size=40\r\n')).toMatchObject({
      sizeBytes: 100,
      deduplicatedSizeBytes: 40,
    });
  });

  it('has no size where the field is missing, None or not a whole number', () => {
    expect(parseBackupInfo('status=DONE').sizeBytes).toBeNull();
    expect(parseBackupInfo('size=None').sizeBytes).toBeNull();
    expect(parseBackupInfo('size=-5').sizeBytes).toBeNull();
    expect(parseBackupInfo('size=12.5').sizeBytes).toBeNull();
    expect(parseBackupInfo('size=99999999999999999999').sizeBytes).toBeNull();
  });
});

describe('baseBackupLocation', () => {
  it("is Barman's base backup directory, <destinationPath>/<serverName>/base/<backupId>/", () => {
    expect(
      baseBackupLocation({
        destinationPath: 's3://bkt-a/databases',
        serverName: 'db-b',
        backupId: '20261202T171500',
      }),
    ).toBe('s3://bkt-a/databases/db-b/base/20261202T171500/');
    expect(baseBackupLocation({ destinationPath: 's3://bkt-a/', serverName: 's', backupId: 'i' })).toBe(
      's3://bkt-a/s/base/i/',
    );
  });

  it('is unknown without a backup id or with a destination that is not S3', () => {
    expect(
      baseBackupLocation({ destinationPath: 's3://bkt-a/databases', serverName: 'db-b' }),
    ).toBeUndefined();
    expect(
      baseBackupLocation({ destinationPath: 'gs://bkt-a/databases', serverName: 'db-b', backupId: 'x' }),
    ).toBeUndefined();
  });

  it('splits into bucket and key', () => {
    expect(splitLocation('s3://bkt-a/databases/db-b/base/i/')).toEqual({
      bucket: 'bkt-a',
      key: 'databases/db-b/base/i/',
    });
    expect(splitLocation('s3://bkt-a')).toBeUndefined();
  });
});
