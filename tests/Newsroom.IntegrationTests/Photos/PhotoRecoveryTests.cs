using System.Text.Json;
using Azure.Storage.Blobs.Models;
using NetVips;
using Newsroom.IntegrationTests.Support;
using Newsroom.Json;
using Newsroom.Photos;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.Photos;

/// <summary>
/// Every photo ends ready or failed, whatever stops its processing: the states a crash leaves at each step of
/// an upload are written here as they would be found, and the sweep and the poison handler finish them.
/// </summary>
public sealed class PhotoRecoveryTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("newsroom-recovery-").FullName;

    public async Task InitializeAsync() => _host = await NewsroomTestHost.CreateAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private StorageClients Storage => _host.Get<StorageClients>();
    private PhotoStore Photos => _host.Get<PhotoStore>();
    private PhotoSweeper Sweeper => _host.Get<PhotoSweeper>();
    private static TimeSpan StuckAfter => TimeSpan.FromMinutes(new PhotoOptions().StuckAfterMinutes);

    /// <summary>What an upload interrupted after <paramref name="steps"/> of its steps leaves: 1 the pending mark, 2 the original, 3 the record.</summary>
    private async Task<string> InterruptedUploadAsync(int steps)
    {
        var id = "p" + Guid.NewGuid().ToString("N")[..20];
        var blob = $"{id}/0123456789abcdef";
        await Photos.MarkPendingAsync(id, blob, _host.Time.GetUtcNow(), CancellationToken.None);
        if (steps >= 2)
        {
            using var image = (Image.Black(640, 480, bands: 3) + new double[] { 40, 90, 160 }).Cast(Enums.BandFormat.Uchar);
            await Storage.Container(StorageNames.PhotoOriginalsContainerName).GetBlobClient(blob).UploadAsync(new BinaryData(image.JpegsaveBuffer()),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg" } });
        }
        if (steps >= 3)
        {
            await Photos.InsertAsync(new PhotoRecord { Id = id, Caption = "Chú thích", CreatedAt = _host.Time.GetUtcNow(), OriginalBlob = blob, ContentHash = "0123456789abcdef" }, CancellationToken.None);
        }
        return id;
    }

    private async Task<IReadOnlyList<string>> QueuedJobsAsync(string queue = StorageNames.PhotoJobsQueue) =>
        [.. (await Storage.Queue(queue).PeekMessagesAsync(32)).Value.Select(m => PhotoJob.FromMessage(m.Body).PhotoId)];

    private async Task<PhotoRecord> RecordAsync(string id) => (await Photos.GetAsync(id, CancellationToken.None))!.Value.Photo;

    [Fact]
    public async Task A_crash_between_the_record_and_the_job_is_finished_by_the_sweep_sending_the_job_again()
    {
        var id = await InterruptedUploadAsync(steps: 3);
        Assert.Empty(await QueuedJobsAsync());

        Assert.Equal(new SweepResult(0, 0, 0, 0), await Sweeper.SweepAsync(CancellationToken.None)); // not stuck yet
        _host.Time.Advance(StuckAfter + TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await Sweeper.SweepAsync(CancellationToken.None)).Resent);
        Assert.Equal([id], await QueuedJobsAsync());

        await _host.Get<PhotoProcessor>().ProcessAsync(new PhotoJob(id), 1, CancellationToken.None);
        Assert.Equal(PhotoStatus.Ready, (await RecordAsync(id)).Status);
        _host.Time.Advance(StuckAfter + TimeSpan.FromMinutes(1));
        Assert.Equal(new SweepResult(0, 0, 0, 0), await Sweeper.SweepAsync(CancellationToken.None)); // nothing left pending
    }

    [Fact]
    public async Task A_photo_that_stays_processing_after_its_job_was_sent_again_fails_with_a_reason_an_editor_can_act_on()
    {
        var id = await InterruptedUploadAsync(steps: 3);
        for (var resend = 0; resend < new PhotoOptions().MaxResends; resend++)
        {
            _host.Time.Advance(StuckAfter + TimeSpan.FromMinutes(1));
            Assert.Equal(1, (await Sweeper.SweepAsync(CancellationToken.None)).Resent);
        }
        // The resent jobs never finish (the worker keeps dying on this photo).
        _host.Time.Advance(StuckAfter + TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await Sweeper.SweepAsync(CancellationToken.None)).Failed);

        var failed = await RecordAsync(id);
        Assert.Equal(PhotoStatus.Failed, failed.Status);
        Assert.Contains("Upload it again", failed.Error, StringComparison.Ordinal);
        Assert.Equal(new SweepResult(0, 0, 0, 0), await Sweeper.SweepAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task An_upload_interrupted_before_its_record_leaves_nothing_once_swept(int steps)
    {
        var id = await InterruptedUploadAsync(steps);
        _host.Time.Advance(StuckAfter + TimeSpan.FromMinutes(1));

        Assert.Equal(1, (await Sweeper.SweepAsync(CancellationToken.None)).Removed);

        Assert.Null(await Photos.GetAsync(id, CancellationToken.None));
        await foreach (var blob in Storage.Container(StorageNames.PhotoOriginalsContainerName).GetBlobsAsync(new GetBlobsOptions { Prefix = id + "/" }))
        {
            Assert.Fail($"original {blob.Name} was left behind");
        }
        Assert.Equal(new SweepResult(0, 0, 0, 0), await Sweeper.SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_job_the_host_gave_up_on_fails_its_photo_through_the_poison_queue_handler()
    {
        var id = await InterruptedUploadAsync(steps: 3);

        await _host.Get<PhotoProcessor>().GiveUpAsync(new PhotoJob(id), CancellationToken.None);

        var failed = await RecordAsync(id);
        Assert.Equal(PhotoStatus.Failed, failed.Status);
        Assert.Contains("did not finish in 5 attempts", failed.Error, StringComparison.Ordinal);
        _host.Time.Advance(StuckAfter + TimeSpan.FromMinutes(1));
        Assert.Equal(new SweepResult(0, 0, 0, 0), await Sweeper.SweepAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_poison_handler_leaves_a_photo_that_made_it_to_ready_alone()
    {
        var id = await InterruptedUploadAsync(steps: 3);
        await _host.Get<PhotoProcessor>().ProcessAsync(new PhotoJob(id), 1, CancellationToken.None);

        await _host.Get<PhotoProcessor>().GiveUpAsync(new PhotoJob(id), CancellationToken.None);

        Assert.Equal(PhotoStatus.Ready, (await RecordAsync(id)).Status);
    }

    [Fact]
    public async Task An_upload_that_completes_is_pending_until_its_renditions_are_made()
    {
        var path = Path.Combine(_dir, "anh.jpg");
        using (var image = (Image.Black(400, 300, bands: 3) + 120).Cast(Enums.BandFormat.Uchar))
        {
            image.Jpegsave(path);
        }
        await using var upload = await PhotoUpload.FromFileAsync(path, null, null, null, CancellationToken.None);
        var photo = await _host.Get<PhotoService>().AcceptAsync(upload, CancellationToken.None);
        Assert.Single(await Photos.PendingAsync(_host.Time.GetUtcNow(), 10, CancellationToken.None));

        await _host.Get<PhotoProcessor>().ProcessAsync(new PhotoJob(photo.Id), 1, CancellationToken.None);

        Assert.Empty(await Photos.PendingAsync(_host.Time.GetUtcNow().AddDays(1), 10, CancellationToken.None));
    }
}
