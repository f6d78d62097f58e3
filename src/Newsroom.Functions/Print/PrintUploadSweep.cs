using Microsoft.Azure.Functions.Worker;
using Newsroom.Print;
using Newsroom.Uploads;

namespace Newsroom.Functions.Print;

/// <summary>Every hour, deletes the uploaded PDFs nobody published (older than Uploads:AbandonedAfterHours).</summary>
public sealed class PrintUploadSweep(PdfUploads uploads, PrintEditions print)
{
    [Function(nameof(PrintUploadSweep))]
    public Task Run([TimerTrigger("0 23 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        uploads.SweepAsync(print.KeepsAsync, cancellationToken);
}
