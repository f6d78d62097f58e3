using Microsoft.Azure.Functions.Worker;
using Newsroom.Uploads;

namespace Newsroom.Functions.Uploads;

/// <summary>Every hour, deletes the uploaded PDFs no record keeps (older than Uploads:AbandonedAfterHours): print issues and legal documents' attachments nobody published.</summary>
public sealed class UploadSweep(PdfUploads uploads, IEnumerable<IUploadKeeper> keepers)
{
    [Function(nameof(UploadSweep))]
    public Task Run([TimerTrigger("0 23 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        uploads.SweepAsync(keepers, cancellationToken);
}
