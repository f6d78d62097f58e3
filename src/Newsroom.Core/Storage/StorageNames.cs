namespace Newsroom.Storage;

/// <summary>
/// Every table, container and queue the code uses, by name. infra/ creates the same names (a test
/// compares them), and the queue triggers name the queues with the constants below.
/// </summary>
public static class StorageNames
{
    // Queue names appear in trigger attributes, which need constants.
    public const string PhotoJobsQueue = "photo-jobs";
    public const string HomepageRebuildQueue = "homepage-rebuild";
    public const string EdgePurgeQueue = "edge-purge";

    /// <summary>The Functions host moves a message that failed maxDequeueCount times to "{queue}-poison".</summary>
    public const string PoisonSuffix = "-poison";
    public const string PhotoJobsPoisonQueue = PhotoJobsQueue + PoisonSuffix;

    public const string ArticlesTableName = "articles";
    public const string SlugsTableName = "slugs";
    public const string ListingsTableName = "listings";
    public const string ListingHeadsTableName = "listingheads";
    public const string TaxonomyTableName = "taxonomy";
    public const string PhotosTableName = "photos";
    public const string OutboxTableName = "outbox";
    public const string DeskTableName = "desk";
    public const string PrintTableName = "print";
    public const string ArticleDocumentsContainerName = "article-documents";
    public const string PhotoOriginalsContainerName = "photo-originals";
    public const string RenditionsContainerName = "renditions";
    public const string HomepageContainerName = "homepage";
    public const string TableBackupsContainerName = "table-backups";
    public const string UploadsContainerName = "uploads";

    public static IReadOnlyList<string> AllTables { get; } =
        [ArticlesTableName, SlugsTableName, ListingsTableName, ListingHeadsTableName, TaxonomyTableName, PhotosTableName, OutboxTableName, DeskTableName, PrintTableName];

    public static IReadOnlyList<string> AllContainers { get; } =
        [ArticleDocumentsContainerName, PhotoOriginalsContainerName, RenditionsContainerName, HomepageContainerName, TableBackupsContainerName, UploadsContainerName];

    /// <summary>Each work queue and its poison queue (the Functions host moves a message there after maxDequeueCount).</summary>
    public static IReadOnlyList<string> AllQueues { get; } =
        [PhotoJobsQueue, PhotoJobsPoisonQueue, HomepageRebuildQueue, HomepageRebuildQueue + PoisonSuffix, EdgePurgeQueue, EdgePurgeQueue + PoisonSuffix];
}
