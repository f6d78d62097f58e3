using System.Web;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Newsroom.Storage;
using Newsroom.UnitTests.Search;
using Newsroom.Uploads;

namespace Newsroom.UnitTests.Uploads;

/// <summary>
/// In Azure, shared keys are off: the upload and download addresses are user-delegation SAS, signed with a key the
/// app's identity asks Blob Storage for. There is no emulator for that (Azurite signs with its account key), so the
/// blob service is faked at the wire, under the SDK's real pipeline.
/// </summary>
public sealed class PdfUploadsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    private sealed class FakeBlobService : RecordingPipelineTransport
    {
        protected override Response Answer(RecordedRequest request) => request.Method == "POST" && request.Uri.Query.Contains("comp=userdelegationkey", StringComparison.Ordinal)
            ? new FakeResponse(200, $"""
                <?xml version="1.0" encoding="utf-8"?><UserDelegationKey><SignedOid>oid-of-the-app</SignedOid><SignedTid>tenant-id</SignedTid><SignedStart>2026-12-02T02:55:00Z</SignedStart><SignedExpiry>2026-12-03T03:00:00Z</SignedExpiry><SignedService>b</SignedService><SignedVersion>2025-01-05</SignedVersion><Value>{Convert.ToBase64String(new byte[32])}</Value></UserDelegationKey>
                """)
            : new FakeResponse(400, "unexpected");
    }

    private static (PdfUploads Uploads, FakeBlobService Service, RecordingTokenCredential Credential) Create()
    {
        var service = new FakeBlobService();
        var credential = new RecordingTokenCredential("token-of-the-apps-identity");
        var blobs = new BlobServiceClient(new Uri("https://stdata.blob.core.windows.net"), credential, new BlobClientOptions { Transport = service, Retry = { MaxRetries = 0 } });
        var storage = new StorageClients(new TableServiceClient(new Uri("https://stdata.table.core.windows.net"), credential), blobs,
            new QueueServiceClient(new Uri("https://stdata.queue.core.windows.net"), credential), new RenditionsBlobService(blobs));
        return (new PdfUploads(storage, Options.Create(new UploadOptions { UploadMinutes = 30, DownloadMinutes = 60 }), new FakeTimeProvider(Now)), service, credential);
    }

    [Fact]
    public async Task Without_a_shared_key_the_upload_address_is_a_write_only_user_delegation_sas_for_one_new_blob_signed_with_a_key_asked_for_once()
    {
        var (uploads, service, credential) = Create();
        var ticket = await uploads.StartAsync(CancellationToken.None);

        Assert.Equal($"/uploads/{ticket.UploadId}.pdf", ticket.UploadUrl.AbsolutePath);
        var sas = HttpUtility.ParseQueryString(ticket.UploadUrl.Query);
        Assert.Equal(("cw", "b", "oid-of-the-app", "tenant-id", "https"), (sas["sp"], sas["sr"], sas["skoid"], sas["sktid"], sas["spr"]));
        Assert.Equal(Now.AddMinutes(30), DateTimeOffset.Parse(sas["se"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(string.IsNullOrEmpty(sas["sig"]));
        Assert.Equal(Now.AddMinutes(30).ToOffset(TimeSpan.FromHours(7)), ticket.ExpiresAt);
        Assert.Equal("BlockBlob", ticket.Headers["x-ms-blob-type"]);

        var key = Assert.Single(service.Requests);
        Assert.Equal("Bearer token-of-the-apps-identity", key.Headers["Authorization"]);
        Assert.Contains("https://storage.azure.com/.default", credential.Scopes.SelectMany(s => s));

        // The key (valid a day) signs the next addresses too: a download is read-only and names the file.
        var download = await uploads.DownloadUrlAsync(PdfUploads.BlobName(ticket.UploadId), "bao-hang-thang-so-122.pdf", CancellationToken.None);
        var read = HttpUtility.ParseQueryString(download.Query);
        Assert.Equal(("r", "attachment; filename=\"bao-hang-thang-so-122.pdf\""), (read["sp"], read["rscd"]));
        await uploads.StartAsync(CancellationToken.None);
        Assert.Single(service.Requests);
    }

    [Theory]
    [InlineData("u019ad3f0a1b2c3d4e5f6", true)]
    [InlineData("demo-print-1", true)]
    [InlineData("../photos/x", false)]
    [InlineData("UPPER", false)]
    [InlineData("", false)]
    public void An_upload_id_is_a_safe_blob_name(string id, bool valid) => Assert.Equal(valid, PdfUploads.IsId(id));
}
