using System.ComponentModel.DataAnnotations;

namespace Newsroom.Uploads;

/// <summary>PDF uploads (print issues): how large, and how long the upload and download addresses live.</summary>
public sealed class UploadOptions
{
    public const string SectionName = "Uploads";

    /// <summary>Largest PDF accepted (413 above it, the file deleted). A print issue runs to 50–200 MB.</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxPdfBytes { get; set; } = 250L * 1024 * 1024;

    /// <summary>How long an upload address (a write-only SAS) lets the editor's browser write the file.</summary>
    [Range(1, 120)] public int UploadMinutes { get; set; } = 30;

    /// <summary>How long a download address (a read-only SAS) lives.</summary>
    [Range(1, 1440)] public int DownloadMinutes { get; set; } = 60;

    /// <summary>An upload nobody confirmed is deleted by the sweep after this long.</summary>
    [Range(1, 720)] public int AbandonedAfterHours { get; set; } = 24;
}
