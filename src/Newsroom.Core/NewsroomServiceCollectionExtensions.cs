using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Homepage;
using Newsroom.Photos;
using Newsroom.Http;
using Newsroom.Identity;
using Newsroom.Listings;
using Newsroom.Publishing;
using Newsroom.Reading;
using Newsroom.Storage;
using Newsroom.Taxonomy;

namespace Newsroom;

public static class NewsroomServiceCollectionExtensions
{
    /// <summary>
    /// Everything Newsroom is, for every host: the Functions app, the local host, tests and benchmarks.
    /// Hosts add only hosting concerns on top.
    /// </summary>
    public static IServiceCollection AddNewsroom(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReaderOptions>().BindConfiguration(ReaderOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PhotoOptions>().BindConfiguration(PhotoOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HomepageOptions>().BindConfiguration(HomepageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Site.SiteOptions>().BindConfiguration(Site.SiteOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<Site.SiteOptions>, Site.SiteOptionsValidation>();
        services.AddSingleton<Site.SiteUrls>();
        services.AddOptions<Edge.EdgeOptions>().BindConfiguration(Edge.EdgeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidation>();
        // Entra ID's metadata and keys: fetched once a day (and when a new key id appears); a desk request waits
        // for them only on an instance's first sign-in, so not for long.
        services.AddHttpClient(DeskSignIn.EntraHttpClient, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<DeskSignIn>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddStorageClients();

        services.AddSingleton<ArticleStore>();
        services.AddSingleton<ArticleSlugs>();
        services.AddSingleton<ListingStore>();
        services.AddSingleton<TaxonomyStore>();
        services.AddSingleton<TaxonomyEditor>();
        services.AddSingleton<ArticleIndexer>();
        services.AddSingleton<IndexOutbox>();
        services.AddSingleton<IndexBackfill>();
        services.AddSingleton<Desk.DeskIndex>();
        services.AddSingleton<ArticleWriter>();
        services.AddSingleton<ArticleReader>();
        services.AddSingleton<ArticlePages>();
        services.AddSingleton<ListingReader>();
        services.AddSingleton<Legal.LegalDocumentReader>();
        services.AddSingleton<Legal.LegalAttachments>();
        services.AddSingleton<Uploads.IUploadKeeper>(sp => sp.GetRequiredService<Legal.LegalAttachments>());
        services.AddOptions<Uploads.UploadOptions>().BindConfiguration(Uploads.UploadOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Uploads.PdfUploads>();
        services.AddSingleton<Print.PrintStore>();
        services.AddSingleton<Print.PrintEditions>();
        services.AddSingleton<Uploads.IUploadKeeper>(sp => sp.GetRequiredService<Print.PrintEditions>());
        services.AddSingleton<Print.PrintPageIndex>();
        services.AddSingleton<Search.ISearchSource>(sp => sp.GetRequiredService<Print.PrintPageIndex>());
        services.AddSingleton<HttpResults>();
        services.AddSingleton<ResponseCache>();

        services.AddSingleton<PhotoStore>();
        services.AddSingleton<PhotoResolver>();
        services.AddSingleton<PhotoService>();
        services.AddSingleton<RenditionPipeline>();
        services.AddSingleton<PhotoProcessor>();
        services.AddSingleton<PhotoSweeper>();
        services.AddSingleton<PhotoLibrary>();
        services.AddSingleton<ArticleValidator>();
        services.AddSingleton<Desk.ArticleDesk>();

        services.AddSingleton<HomepageRebuildQueue>();
        services.AddSingleton<HomepageStore>();
        services.AddSingleton<HomepagePublisher>();
        services.AddSingleton<HomepageReader>();
        services.AddSingleton<HomepageLayoutService>();

        services.AddOptions<Search.SearchEngineOptions>().BindConfiguration(Search.SearchEngineOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Search.ISearchEngine>(sp =>
        {
            var search = sp.GetRequiredService<IOptions<Search.SearchEngineOptions>>().Value;
            if (search.InProcess)
            {
                return new Search.LuceneSearchEngine(search.LucenePath, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Search.LuceneSearchEngine>>(), (long)search.LuceneTermCacheMB << 20, search.LuceneConcurrentSearches);
            }
            var client = new Azure.Search.Documents.Indexes.SearchIndexClient(search.Endpoint, CreateCredential("managedidentity", search.ClientId));
            return new Search.AzureSearchEngine(client, search.IndexName, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Search.AzureSearchEngine>>());
        });
        services.AddSingleton<Search.ArticleSearch>();
        services.AddHostedService<Search.SearchIndexSetup>();
        services.AddSingleton<Feeds.RssFeeds>();
        services.AddSingleton<Feeds.Sitemaps>();

        services.AddSingleton<Edge.EdgePurger>();
        services.AddSingleton<Telemetry.HealthSampler>();
        services.AddOptions<Backup.TableBackupOptions>().BindConfiguration(Backup.TableBackupOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Backup.TableBackup>();
        return services;
    }

    private static void AddStorageClients(this IServiceCollection services)
    {
        services.AddAzureClients(clients =>
        {
            clients.UseCredential(sp => CreateCredential(Storage(sp).Credential, Storage(sp).ClientId));
            clients.AddClient<TableServiceClient, TableClientOptions>((o, credential, sp) =>
                Storage(sp, o) is { ConnectionString: { Length: > 0 } cs } ? new TableServiceClient(cs, o) : new TableServiceClient(Storage(sp).TableServiceUri, credential, o));
            clients.AddClient<BlobServiceClient, BlobClientOptions>((o, credential, sp) =>
                Storage(sp, o) is { ConnectionString: { Length: > 0 } cs } ? new BlobServiceClient(cs, o) : new BlobServiceClient(Storage(sp).BlobServiceUri, credential, o));
            clients.AddClient<QueueServiceClient, QueueClientOptions>((o, credential, sp) =>
            {
                // The Functions queue trigger expects base64 message bodies.
                o.MessageEncoding = QueueMessageEncoding.Base64;
                return Storage(sp, o) is { ConnectionString: { Length: > 0 } cs } ? new QueueServiceClient(cs, o) : new QueueServiceClient(Storage(sp).QueueServiceUri, credential, o);
            });
        });
        services.AddOptions<RenditionsStorageOptions>().BindConfiguration(RenditionsStorageOptions.SectionName);
        services.AddSingleton(sp =>
        {
            var renditions = sp.GetRequiredService<IOptions<RenditionsStorageOptions>>().Value;
            if (!renditions.Separate)
            {
                return new RenditionsBlobService(sp.GetRequiredService<BlobServiceClient>());
            }
            var o = new BlobClientOptions();
            Storage(sp, o);
            return new RenditionsBlobService(renditions.ConnectionString is { Length: > 0 } cs
                ? new BlobServiceClient(cs, o)
                : new BlobServiceClient(renditions.BlobServiceUri, CreateCredential(renditions.Credential, renditions.ClientId), o));
        });
        services.AddSingleton<StorageClients>();
        services.AddHostedService<StorageProvisioner>();
    }

    private static StorageOptions Storage(IServiceProvider sp) => sp.GetRequiredService<IOptions<StorageOptions>>().Value;

    /// <summary>The storage settings, after setting the SDK's retry policy from them (its default waits 100 s a try).</summary>
    private static StorageOptions Storage(IServiceProvider sp, ClientOptions options)
    {
        var storage = Storage(sp);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = storage.MaxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(storage.NetworkTimeoutSeconds);
        return storage;
    }

    /// <summary>"managedidentity": the app's (user-assigned when a client id is given); otherwise the developer's own.</summary>
    internal static TokenCredential CreateCredential(string? credential, string? clientId) =>
        string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrEmpty(clientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
}
