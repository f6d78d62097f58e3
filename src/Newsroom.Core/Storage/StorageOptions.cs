using System.ComponentModel.DataAnnotations;

namespace Newsroom.Storage;

/// <summary>
/// Where the data lives. The same "Storage" section is the connection the queue triggers name
/// (Connection = "Storage"), so one set of settings serves the Functions host and our own clients:
/// locally a connection string (Azurite), in Azure the three service URIs and the managed identity
/// (Storage__blobServiceUri, Storage__queueServiceUri, Storage__tableServiceUri,
/// Storage__credential=managedidentity, Storage__clientId).
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    public string? ConnectionString { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? TableServiceUri { get; set; }

    /// <summary>"managedidentity" in Azure; anything else means the developer's own Azure credential.</summary>
    public string? Credential { get; set; }

    /// <summary>Client id of the user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>Prepended to every table, container and queue name; lets test classes share one Azurite.</summary>
    [RegularExpression("^[a-z0-9]{0,16}$", ErrorMessage = "Storage:Prefix must be 0-16 lower-case letters or digits.")]
    public string Prefix { get; set; } = "";

    /// <summary>Create tables, containers and queues at start (local host and tests; in Azure, infra/ creates them).</summary>
    public bool CreateIfNotExists { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield break;
        }
        if (BlobServiceUri is null || QueueServiceUri is null || TableServiceUri is null)
        {
            yield return new ValidationResult(
                "Storage needs either Storage:ConnectionString, or all of Storage:BlobServiceUri, Storage:QueueServiceUri and Storage:TableServiceUri (with Storage:Credential=managedidentity and Storage:ClientId in Azure).",
                [nameof(ConnectionString)]);
        }
    }
}
