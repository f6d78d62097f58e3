using System.ComponentModel.DataAnnotations;

namespace Newsroom.Backup;

/// <summary>The nightly export of the tables (Backup section; its schedule is the TableBackupSchedule app setting).</summary>
public sealed class TableBackupOptions
{
    public const string SectionName = "Backup";

    /// <summary>The app setting the TableBackup timer reads its NCRONTAB schedule from (UTC).</summary>
    public const string ScheduleSetting = "TableBackupSchedule";

    /// <summary>Exports older than this are deleted after a successful export (blob versioning and soft delete keep them a while longer).</summary>
    [Range(1, 3650)] public int KeepDays { get; set; } = 35;
}
