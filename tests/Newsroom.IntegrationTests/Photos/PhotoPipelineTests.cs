using System.Text;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetVips;
using Newsroom.IntegrationTests.Support;
using Newsroom.Photos;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.Photos;

public sealed class PhotoPipelineTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;
    private readonly string _dir = Directory.CreateTempSubdirectory("newsroom-photos-").FullName;
    private readonly CapturedLogs _logs = new(LogLevel.Information);

    public async Task InitializeAsync() => _host = await NewsroomTestHost.CreateAsync(new Dictionary<string, string?> { ["Photos:MaxUploadBytes"] = "2000000" }, configure: services =>
    {
        _logs.AddTo(services);
        // The app's own information, not the SDK's request log.
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Information).AddFilter("Azure", LogLevel.Warning));
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private StorageClients Storage => _host.Get<StorageClients>();

    private string Jpeg(int width, int height, int quality = 85)
    {
        using var image = (Image.Black(width, height, bands: 3) + new double[] { 30, 120, 200 }).Cast(Enums.BandFormat.Uchar);
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.jpg");
        image.Jpegsave(path, q: quality);
        return path;
    }

    private async Task<PhotoRecord> UploadAsync(byte[] content, string? caption = "Chú thích", string? id = null)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(path, content);
        await using var upload = await PhotoUpload.FromFileAsync(path, caption, "Ảnh: Thu Hà", "Mô tả", CancellationToken.None);
        return await _host.Get<PhotoService>().AcceptAsync(upload, CancellationToken.None, id);
    }

    private async Task AssertNothingStoredAsync()
    {
        await foreach (var _ in Storage.Container(StorageNames.PhotoOriginalsContainerName).GetBlobsAsync())
        {
            Assert.Fail("an original was stored for a rejected upload");
        }
        await foreach (var _ in Storage.Table(StorageNames.PhotosTableName).QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            Assert.Fail("a photo record was written for a rejected upload");
        }
        Assert.Empty((await Storage.Queue(StorageNames.PhotoJobsQueue).PeekMessagesAsync(32)).Value);
    }

    public static TheoryData<string, byte[]> NotImages => new()
    {
        { "text", "Chỉ là văn bản"u8.ToArray() },
        { "gif", Encoding.ASCII.GetBytes("GIF89a\u0001\u0000\u0001\u0000\u0080\u0000\u0000") },
        { "svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray() },
        { "html", "<!doctype html><img src=x onerror=alert(1)>"u8.ToArray() },
        { "polyglot", [.. "GIF89a/*"u8.ToArray(), .. new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }] },
    };

    [Theory]
    [MemberData(nameof(NotImages))]
    public async Task Content_that_is_not_jpeg_png_or_webp_is_415_and_nothing_is_stored(string kind, byte[] content)
    {
        var e = await Assert.ThrowsAsync<UnsupportedMediaTypeException>(() => UploadAsync(content));
        Assert.Contains("JPEG, PNG or WebP", e.Message, StringComparison.Ordinal);
        Assert.NotEmpty(kind);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_tiny_png_claiming_50000_by_50000_is_422_from_its_header_and_nothing_is_stored()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => UploadAsync(Newsroom.UnitTests.Photos.TestImages.PngClaiming(50_000, 50_000)));
        Assert.Contains("50000×50000", e.Message, StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_truncated_jpeg_is_422_and_nothing_is_stored()
    {
        var whole = await File.ReadAllBytesAsync(Jpeg(800, 600));
        var e = await Assert.ThrowsAsync<ValidationException>(() => UploadAsync(whole[..(whole.Length / 2)]));
        Assert.Contains("truncated or corrupt", e.Message, StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_corrupt_png_is_422_and_nothing_is_stored()
    {
        using var image = (Image.Black(200, 200, bands: 3) + 99).Cast(Enums.BandFormat.Uchar);
        var png = image.PngsaveBuffer();
        for (var i = 60; i < png.Length - 20; i += 7)
        {
            png[i] ^= 0x5A;
        }
        await Assert.ThrowsAsync<ValidationException>(() => UploadAsync(png));
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_413_and_what_follows_is_read_only_up_to_the_hosts_own_limit()
    {
        var body = new EndlessMultipart();
        var context = new DefaultHttpContext();
        context.Request.ContentType = "multipart/form-data; boundary=" + EndlessMultipart.Boundary;
        context.Request.Body = body;

        await Assert.ThrowsAsync<PayloadTooLargeException>(() => PhotoUpload.ReadAsync(context.Request, 2_000_000, CancellationToken.None));
        // What follows the limit is read and dropped (so the 413 gets through the host's proxy), up to what the host lets through.
        Assert.InRange(body.Served, PhotoUpload.HostBodyLimit, 2_000_000 + PhotoUpload.HostBodyLimit + 300_000);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task An_oversized_part_of_another_name_is_413_too_rather_than_read_to_its_end()
    {
        var body = new EndlessMultipart("junk");
        var context = new DefaultHttpContext();
        context.Request.ContentType = "multipart/form-data; boundary=" + EndlessMultipart.Boundary;
        context.Request.Body = body;
        await Assert.ThrowsAsync<PayloadTooLargeException>(() => PhotoUpload.ReadAsync(context.Request, 2_000_000, CancellationToken.None));
        Assert.InRange(body.Served, PhotoUpload.HostBodyLimit, 2_000_000 + PhotoUpload.HostBodyLimit + 300_000);
    }

    [Fact]
    public async Task A_declared_length_over_the_hosts_limit_is_413_before_reading_anything()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "multipart/form-data; boundary=x";
        context.Request.ContentLength = PhotoUpload.HostBodyLimit + 1;
        var body = new EndlessMultipart();
        context.Request.Body = body;
        await Assert.ThrowsAsync<PayloadTooLargeException>(() => PhotoUpload.ReadAsync(context.Request, 2_000_000, CancellationToken.None));
        Assert.Equal(0, body.Served);
    }

    [Fact]
    public async Task An_accepted_upload_is_stored_privately_under_a_generated_name_and_queued()
    {
        var photo = await UploadAsync(await File.ReadAllBytesAsync(Jpeg(640, 480)));
        Assert.Equal(PhotoStatus.Processing, photo.Status);
        Assert.Matches("^p[0-9a-f]{20}$", photo.Id);
        Assert.StartsWith(photo.Id + "/", photo.OriginalBlob, StringComparison.Ordinal);
        var originals = Storage.Container(StorageNames.PhotoOriginalsContainerName);
        Assert.Equal(PublicAccessType.None, (await originals.GetPropertiesAsync()).Value.PublicAccess ?? PublicAccessType.None);
        Assert.True(await originals.GetBlobClient(photo.OriginalBlob).ExistsAsync());
        Assert.Contains(photo.Id, Assert.Single((await Storage.Queue(StorageNames.PhotoJobsQueue).PeekMessagesAsync(32)).Value).Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_delivered_twice_ends_with_one_complete_set_and_one_ready_record()
    {
        var photo = await UploadAsync(await File.ReadAllBytesAsync(Jpeg(1000, 750)));
        var processor = _host.Get<PhotoProcessor>();
        await Task.WhenAll(processor.ProcessAsync(new PhotoJob(photo.Id), 1, CancellationToken.None), processor.ProcessAsync(new PhotoJob(photo.Id), 1, CancellationToken.None));
        await processor.ProcessAsync(new PhotoJob(photo.Id), 2, CancellationToken.None);

        var ready = await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None);
        Assert.Equal(PhotoStatus.Ready, ready.Status);
        Assert.Equal((1000, 750), (ready.Width, ready.Height));
        Assert.Equal(12, ready.Renditions.Count); // 6 widths × webp, jpeg
        Assert.Equal(ready.Renditions.Count, await CountRenditionBlobsAsync(photo.Id));
    }

    [Fact]
    public async Task An_article_published_before_its_photo_is_ready_is_reindexed_with_the_renditions_by_the_next_repair()
    {
        await Fixtures.SeedTaxonomyAsync(_host);
        var photo = await UploadAsync(await File.ReadAllBytesAsync(Jpeg(900, 600)));
        var stored = await _host.Get<Newsroom.Publishing.ArticleWriter>().CreateAsync(
            Fixtures.Article("dung-anh", "Bài dùng ảnh mới tải", publishedAt: _host.Time.GetUtcNow().AddMinutes(-1)) with { LeadPhoto = new Newsroom.Articles.PhotoRef(photo.Id), Blocks = [] },
            CancellationToken.None);
        var pages = _host.Get<Newsroom.Reading.ArticlePages>();
        Assert.Null((await pages.GetAsync(stored.Article.Slug, CancellationToken.None))!.Article!.LeadPhoto!.Renditions);

        await _host.Get<PhotoProcessor>().ProcessAsync(new PhotoJob(photo.Id), 1, CancellationToken.None);

        var mark = Assert.Single(await _host.Get<Newsroom.Publishing.IndexOutbox>().PendingAsync(10, CancellationToken.None), e => e.ArticleId == "dung-anh");
        Assert.Equal(Newsroom.Publishing.OutboxReason.PhotoReady, mark.Reason);
        _host.Time.Advance(TimeSpan.FromMinutes(5)); // past the repair's grace for writes in flight
        await _host.Get<Newsroom.Homepage.HomepagePublisher>().RebuildAsync(CancellationToken.None);
        // The everyday case, not a fault: no warning of interrupted writes for an operator's alert.
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning && e.Category.StartsWith("Newsroom.", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4011 && e.Level == LogLevel.Information && e.Message.Contains("1 article", StringComparison.Ordinal));
        var lead = (await pages.GetAsync(stored.Article.Slug, CancellationToken.None))!.Article!.LeadPhoto!;
        var ready = await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None);
        Assert.Equal(ready.Renditions.Select(r => r.Width), lead.Renditions!.Select(r => r.Width));
        Assert.NotEmpty(lead.Renditions!);
        Assert.Equal((900, 600), (lead.Width, lead.Height));
        Assert.Empty(await _host.Get<Newsroom.Publishing.IndexOutbox>().PendingAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task A_job_killed_halfway_and_retried_completes_the_set_over_the_half_written_one()
    {
        var photo = await UploadAsync(await File.ReadAllBytesAsync(Jpeg(700, 500)));
        // The killed attempt left one rendition half-written and the record still processing.
        var renditions = Storage.Container(StorageNames.RenditionsContainerName);
        await renditions.GetBlobClient($"{photo.Id}/{photo.ContentHash}-320.webp").UploadAsync(new BinaryData("half"), overwrite: true);
        Assert.Equal(PhotoStatus.Processing, (await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None)).Status);

        await _host.Get<PhotoProcessor>().ProcessAsync(new PhotoJob(photo.Id), 2, CancellationToken.None);

        var ready = await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None);
        Assert.Equal(PhotoStatus.Ready, ready.Status);
        Assert.Equal(ready.Renditions.Count, await CountRenditionBlobsAsync(photo.Id));
        var blob = await renditions.GetBlobClient($"{photo.Id}/{photo.ContentHash}-320.webp").DownloadContentAsync();
        using var image = Image.NewFromBuffer(blob.Value.Content.ToArray());
        Assert.Equal(320, image.Width);
        Assert.Equal("public, max-age=31536000, immutable", blob.Value.Details.CacheControl);
        Assert.Equal("image/webp", blob.Value.Details.ContentType);
    }

    [Fact]
    public async Task A_failure_is_retried_and_after_the_last_attempt_the_record_says_failed_with_the_reason()
    {
        var photo = await UploadAsync(await File.ReadAllBytesAsync(Jpeg(300, 200)));
        await Storage.Container(StorageNames.PhotoOriginalsContainerName).DeleteBlobAsync(photo.OriginalBlob);
        var processor = _host.Get<PhotoProcessor>();

        await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() => processor.ProcessAsync(new PhotoJob(photo.Id), 1, CancellationToken.None));
        Assert.Equal(PhotoStatus.Processing, (await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None)).Status);

        await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() => processor.ProcessAsync(new PhotoJob(photo.Id), 5, CancellationToken.None));
        var failed = await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None);
        Assert.Equal(PhotoStatus.Failed, failed.Status);
        Assert.Contains("after 5 attempts", failed.Error, StringComparison.Ordinal);
        Assert.Empty(failed.Renditions);
    }

    [Fact]
    public async Task An_original_that_cannot_be_decoded_fails_at_once()
    {
        var photo = await UploadAsync(await File.ReadAllBytesAsync(Jpeg(300, 200)));
        await Storage.Container(StorageNames.PhotoOriginalsContainerName).GetBlobClient(photo.OriginalBlob).UploadAsync(new BinaryData(new byte[] { 0xFF, 0xD8, 0xFF, 0, 1, 2 }), overwrite: true);

        await _host.Get<PhotoProcessor>().ProcessAsync(new PhotoJob(photo.Id), 1, CancellationToken.None);

        var failed = await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None);
        Assert.Equal(PhotoStatus.Failed, failed.Status);
        Assert.Contains("could not be decoded", failed.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> FourChannelJpegs => Newsroom.UnitTests.Photos.RenditionPipelineTests.FourChannelJpegs;

    [Theory]
    [MemberData(nameof(FourChannelJpegs))]
    public async Task Cmyk_and_ycck_jpegs_are_accepted_at_the_door_and_made_into_srgb_renditions(string kind, byte[] file)
    {
        var photo = await UploadAsync(file);
        await _host.Get<PhotoProcessor>().ProcessAsync(new PhotoJob(photo.Id), 1, CancellationToken.None);

        var ready = await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None);
        Assert.True(ready.Status == PhotoStatus.Ready, $"{kind}: {ready.Status} {ready.Error}");
        var first = ready.Renditions[0].Url;
        var blob = await Storage.Container(StorageNames.RenditionsContainerName).GetBlobClient(first[(first.IndexOf(photo.Id + "/", StringComparison.Ordinal))..]).DownloadContentAsync();
        using var image = Image.NewFromBuffer(blob.Value.Content.ToArray());
        Assert.Equal(3, image.Bands);
    }

    [Fact]
    public async Task A_large_photo_is_usable_with_its_first_widths_first_and_a_worker_dying_between_the_stages_leaves_it_usable_until_the_retry_finishes_it()
    {
        var photo = await UploadAsync(await File.ReadAllBytesAsync(Jpeg(2000, 1333)));
        var processor = _host.Get<PhotoProcessor>();
        await DiesBetweenTheStagesAsync(photo.Id, attempt: 1);

        // Usable: 320, 640 and 1280 wide, each format, placeholder and colour, all written; nothing else yet, and offered as such.
        var usable = await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None);
        Assert.Equal((PhotoStatus.Processing, true), (usable.Status, usable.Usable));
        Assert.Equal([320, 640, 1280], usable.Renditions.Select(r => r.Width).Distinct());
        Assert.Equal(6, usable.Renditions.Count);
        Assert.NotNull(usable.Placeholder);
        Assert.Matches("^#[0-9a-f]{6}$", usable.DominantColor!);
        Assert.Equal(6, await CountRenditionBlobsAsync(photo.Id));
        var offered = await _host.Get<PhotoResolver>().ResolveAsync(new Newsroom.Articles.PhotoRef(photo.Id), CancellationToken.None);
        Assert.Equal(usable.Renditions.Select(r => r.Url), offered!.Renditions!.Select(r => r.Url));
        foreach (var rendition in usable.Renditions)
        {
            var name = rendition.Url[rendition.Url.IndexOf(photo.Id + "/", StringComparison.Ordinal)..];
            Assert.True(await Storage.Container(StorageNames.RenditionsContainerName).GetBlobClient(name).ExistsAsync(), name);
        }

        // The job's next delivery finishes it: the larger widths, then ready with the whole set.
        await processor.ProcessAsync(new PhotoJob(photo.Id), 2, CancellationToken.None);
        var ready = await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None);
        Assert.Equal(PhotoStatus.Ready, ready.Status);
        Assert.Equal([160, 320, 480, 640, 960, 1280, 1920, 2000], ready.Renditions.Select(r => r.Width).Distinct());
        Assert.Equal(16, await CountRenditionBlobsAsync(photo.Id));
        Assert.Equal(usable.Placeholder, ready.Placeholder);
    }

    [Fact]
    public async Task A_usable_photo_whose_job_is_given_up_keeps_its_usable_set_and_ends_ready_saying_what_is_missing()
    {
        var photo = await UploadAsync(await File.ReadAllBytesAsync(Jpeg(2000, 1333)));
        var processor = _host.Get<PhotoProcessor>();
        await DiesBetweenTheStagesAsync(photo.Id, attempt: 5);
        await processor.GiveUpAsync(new PhotoJob(photo.Id), CancellationToken.None);

        var ended = await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None);
        Assert.Equal(PhotoStatus.Ready, ended.Status);
        Assert.Equal([320, 640, 1280], ended.Renditions.Select(r => r.Width).Distinct());
        Assert.Contains("larger widths are missing", ended.Error, StringComparison.Ordinal);
        Assert.Equal(6, (await _host.Get<PhotoResolver>().ResolveAsync(new Newsroom.Articles.PhotoRef(photo.Id), CancellationToken.None))!.Renditions!.Count);
    }

    [Fact]
    public async Task A_photo_no_wider_than_the_usable_set_turns_ready_at_once()
    {
        var photo = await UploadAsync(await File.ReadAllBytesAsync(Jpeg(1200, 800)));
        var processor = _host.Get<PhotoProcessor>();
        var stages = 0;
        processor.AfterUsable = (_, _) => { stages++; return Task.CompletedTask; };
        try
        {
            await processor.ProcessAsync(new PhotoJob(photo.Id), 1, CancellationToken.None);
        }
        finally
        {
            processor.AfterUsable = null;
        }
        Assert.Equal(0, stages);
        Assert.Equal(PhotoStatus.Ready, (await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_png_whole_in_its_structure_but_damaged_inside_its_data_passes_the_door_and_fails_in_the_worker_with_nothing_public()
    {
        using var noise = Image.Gaussnoise(600, 400, sigma: 40).Cast(Enums.BandFormat.Uchar);
        var damaged = noise.PngsaveBuffer(compression: 9);
        // Scramble the compressed pixels of the first IDAT chunk, then give it the CRC of what it now holds:
        // every chunk checks out, only inflating the data can tell.
        var at = 8;
        while (System.Text.Encoding.ASCII.GetString(damaged, at + 4, 4) != "IDAT")
        {
            at += 12 + System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(damaged.AsSpan(at));
        }
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(damaged.AsSpan(at));
        for (var i = at + 8 + 20; i < at + 8 + length; i += 3)
        {
            damaged[i] ^= 0xA5;
        }
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(damaged.AsSpan(at + 4, 4 + length));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(damaged.AsSpan(at + 8 + length), crc.GetCurrentHashAsUInt32());
        var photo = await UploadAsync(damaged);
        Assert.Equal(PhotoStatus.Processing, photo.Status);

        await _host.Get<PhotoProcessor>().ProcessAsync(new PhotoJob(photo.Id), 1, CancellationToken.None);
        var failed = await _host.Get<PhotoService>().GetAsync(photo.Id, CancellationToken.None);
        Assert.Equal(PhotoStatus.Failed, failed.Status);
        Assert.Contains("could not be decoded", failed.Error, StringComparison.Ordinal);
        Assert.Empty(failed.Renditions);
        Assert.False(failed.Usable);
        Assert.Equal(0, await CountRenditionBlobsAsync(photo.Id));
        Assert.Null((await _host.Get<PhotoResolver>().ResolveAsync(new Newsroom.Articles.PhotoRef(photo.Id), CancellationToken.None))!.Renditions);
    }

    /// <summary>Runs the photo's job with a worker that dies once the usable set is recorded.</summary>
    private async Task DiesBetweenTheStagesAsync(string photoId, int attempt)
    {
        var processor = _host.Get<PhotoProcessor>();
        processor.AfterUsable = (_, _) => throw new InvalidOperationException("the worker died between the stages");
        try
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => processor.ProcessAsync(new PhotoJob(photoId), attempt, CancellationToken.None));
        }
        finally
        {
            processor.AfterUsable = null;
        }
    }

    private async Task<int> CountRenditionBlobsAsync(string id)
    {
        var count = 0;
        await foreach (var _ in Storage.Container(StorageNames.RenditionsContainerName).GetBlobsAsync(new GetBlobsOptions { Prefix = id + "/" }))
        {
            count++;
        }
        return count;
    }

    /// <summary>A multipart body whose file part never ends; counts what it served.</summary>
    private sealed class EndlessMultipart(string part = "file") : Stream
    {
        public const string Boundary = "endless";
        private readonly byte[] _head = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{part}\"; filename=\"big.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n");

        public long Served { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = 0;
            while (n < count && Served < _head.Length)
            {
                buffer[offset + n++] = _head[Served++];
            }
            Array.Fill(buffer, (byte)'x', offset + n, count - n);
            Served += count - n;
            return count;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
