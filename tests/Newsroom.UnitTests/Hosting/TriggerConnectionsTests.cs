using Microsoft.Extensions.Configuration;
using Newsroom.LocalHost.Hosting;
using Newsroom.Storage;

namespace Newsroom.UnitTests.Hosting;

/// <summary>The Functions host's lookup of a trigger's connection, which the local host mirrors.</summary>
public sealed class TriggerConnectionsTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    [Fact]
    public void A_connection_named_storage_resolves_to_the_hosts_own_azure_web_jobs_storage()
    {
        var settings = Settings(("AzureWebJobsStorage:accountName", "sthost"), ("Storage:queueServiceUri", "https://stdata.queue.core.windows.net"));
        Assert.Equal("AzureWebJobsStorage", TriggerConnections.Find(settings, "Storage")!.Path);
    }

    [Fact]
    public void The_newsroom_connection_resolves_to_its_own_settings_beside_the_hosts()
    {
        var settings = Settings(
            ("AzureWebJobsStorage:accountName", "sthost"),
            (StorageOptions.SectionName + ":queueServiceUri", "https://stdata.queue.core.windows.net"),
            (StorageOptions.SectionName + ":credential", "managedidentity"));
        var section = TriggerConnections.Find(settings, StorageOptions.SectionName)!;
        Assert.Equal(StorageOptions.SectionName, section.Path);
        Assert.Equal("https://stdata.queue.core.windows.net/", TriggerConnections.Queues(settings, StorageOptions.SectionName, new()).Uri.ToString());
    }

    [Fact]
    public void A_connection_string_as_the_section_value_or_its_connection_string_key_is_used_as_is()
    {
        const string Azurite = "UseDevelopmentStorage=true";
        Assert.Equal("devstoreaccount1", TriggerConnections.Queues(Settings(("NewsroomStorage", Azurite)), "NewsroomStorage", new()).AccountName);
        Assert.Equal("devstoreaccount1", TriggerConnections.Queues(Settings(("NewsroomStorage:ConnectionString", Azurite)), "NewsroomStorage", new()).AccountName);
        Assert.Equal("devstoreaccount1", TriggerConnections.Queues(Settings(("ConnectionStrings:NewsroomStorage", Azurite)), "NewsroomStorage", new()).AccountName);
    }

    [Fact]
    public void An_empty_connection_means_azure_web_jobs_storage_and_a_missing_one_says_what_to_set()
    {
        Assert.Equal("AzureWebJobsStorage", TriggerConnections.Find(Settings(("AzureWebJobsStorage", "UseDevelopmentStorage=true")), null)!.Path);
        var e = Assert.Throws<InvalidOperationException>(() => TriggerConnections.Queues(Settings(), "NewsroomStorage", new()));
        Assert.Contains("NewsroomStorage__connectionString", e.Message, StringComparison.Ordinal);
    }
}
