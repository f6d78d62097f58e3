using System.ComponentModel.DataAnnotations;

namespace Newsroom.Storage;

/// <summary>
/// Where the newspaper's data lives. The same "NewsroomStorage" section is the connection the queue
/// triggers name (Connection = "NewsroomStorage"), so one set of settings serves the Functions host and our
/// own clients: locally a connection string (NewsroomStorage__connectionString, Azurite), in Azure the three
/// service URIs and the managed identity (NewsroomStorage__blobServiceUri, __queueServiceUri,
/// __tableServiceUri, __credential=managedidentity, __clientId).
/// The name must not be "Storage": the host looks a trigger's connection "X" up as "AzureWebJobsX" first, so
/// "Storage" would silently resolve to AzureWebJobsStorage, the host's own account.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "NewsroomStorage";

    public string? ConnectionString { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? TableServiceUri { get; set; }

    /// <summary>"managedidentity" in Azure; anything else means the developer's own Azure credential.</summary>
    public string? Credential { get; set; }

    /// <summary>Client id of the user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>Create tables, containers and queues at start (local host and tests; in Azure, infra/ creates them).</summary>
    public bool CreateIfNotExists { get; set; }

    // How long storage may take, set per path rather than left at the SDK's defaults (100 s a try).

    /// <summary>One try of one storage call: past this the SDK gives up on it and retries.</summary>
    [Range(1, 300)] public int NetworkTimeoutSeconds { get; set; } = 10;

    /// <summary>Retries of a failed or timed-out storage call (exponential back-off from 0.2 s, at most 2 s apart).</summary>
    [Range(0, 10)] public int MaxRetries { get; set; } = 3;

    /// <summary>A reader's request: with nothing cached to fall back on, 503 after this.</summary>
    [Range(1, 60)] public int ReadDeadlineSeconds { get; set; } = 3;

    /// <summary>An editor's write: 503 after this, with nothing half-written left visible.</summary>
    [Range(1, 120)] public int WriteDeadlineSeconds { get; set; } = 10;

    /// <summary>Storing an uploaded photo (up to Photos:MaxUploadBytes).</summary>
    [Range(1, 600)] public int UploadDeadlineSeconds { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield break;
        }
        if (BlobServiceUri is null || QueueServiceUri is null || TableServiceUri is null)
        {
            yield return new ValidationResult(
                "Storage needs either NewsroomStorage:ConnectionString, or all of NewsroomStorage:BlobServiceUri, NewsroomStorage:QueueServiceUri and NewsroomStorage:TableServiceUri (with NewsroomStorage:Credential=managedidentity and NewsroomStorage:ClientId in Azure).",
                [nameof(ConnectionString)]);
        }
    }
}
