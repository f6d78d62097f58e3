using Microsoft.Azure.Functions.Worker;
using Newsroom.Backup;

namespace Newsroom.Functions.Backup;

/// <summary>Exports every table to the table-backups container each night (TableBackupSchedule, UTC).</summary>
public sealed class TableBackupTimer(TableBackup backup)
{
    [Function("TableBackup")]
    public Task Run([TimerTrigger("%" + TableBackupOptions.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        backup.ExportAsync(cancellationToken);
}
