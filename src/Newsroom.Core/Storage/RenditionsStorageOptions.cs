namespace Newsroom.Storage;

/// <summary>
/// Where photo renditions are written, when that is another account than the data (in Azure: a dedicated
/// account whose one container browsers and the edge read anonymously, so the data account allows no public
/// access at all). Unset, as locally, renditions live in the data account: NewsroomRenditions__blobServiceUri,
/// __credential=managedidentity, __clientId in Azure, or NewsroomRenditions__connectionString.
/// </summary>
public sealed class RenditionsStorageOptions
{
    public const string SectionName = "NewsroomRenditions";

    public string? ConnectionString { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public string? Credential { get; set; }

    public string? ClientId { get; set; }

    public bool Separate => BlobServiceUri is not null || !string.IsNullOrWhiteSpace(ConnectionString);
}

/// <summary>The blob service that holds the renditions container (the data account's unless configured apart).</summary>
public sealed record RenditionsBlobService(Azure.Storage.Blobs.BlobServiceClient Client);
