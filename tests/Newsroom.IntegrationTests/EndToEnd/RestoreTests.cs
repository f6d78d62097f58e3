using System.Net;
using System.Text.Json;
using Newsroom.Admin;
using Newsroom.Backup;
using Newsroom.IntegrationTests.Support;
using Newsroom.LocalHost;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>
/// The tables' backup, the way an operator would live through losing them: the demo paper is seeded and
/// read over HTTP, the tables are exported with the admin command, wiped (readers get 404s), restored with
/// the admin command, and every public answer is again exactly what it was: same status, ETag and body.
/// </summary>
public sealed class RestoreTests : IAsyncLifetime
{
    private string _account = null!;
    private LocalHostApp _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _account = await SharedAzurite.NewAccountAsync();
        _host = await TestLocalHost.StartAsync(new Dictionary<string, string?>(TestLocalHost.BusyMachineDeadlines)
        {
            ["LocalHost:DemoArticles"] = "12",
            [StorageOptions.SectionName + ":ConnectionString"] = _account,
            [StorageOptions.SectionName + ":CreateIfNotExists"] = "true",
            ["AzureWebJobsStorage"] = _account,
        });
        _client = TestLocalHost.ClientFor(_host);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private Task<int> AdminAsync(StringWriter output, params string[] args) =>
        AdminCommand.RunAsync(args, output, CancellationToken.None, new Dictionary<string, string?>
        {
            [StorageOptions.SectionName + ":ConnectionString"] = _account,
        });

    private sealed record Answer(HttpStatusCode Status, string? ETag, string Body);

    private async Task<Answer> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        return new Answer(response.StatusCode, response.Headers.ETag?.Tag, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every public path of the paper but the homepage (a timer rebuilds that while the tables are gone).</summary>
    private async Task<Dictionary<string, Answer>> ReadThePaperAsync()
    {
        var answers = new Dictionary<string, Answer>(StringComparer.Ordinal);
        async Task<JsonElement> Read(string path)
        {
            var answer = answers[path] = await GetAsync(path);
            return JsonDocument.Parse(answer.Body).RootElement;
        }
        var listings = new List<string>();
        foreach (var category in Slugs(await Read("/api/categories"), "children"))
        {
            listings.Add($"/api/categories/{category}/articles");
        }
        foreach (var e in (await Read("/api/events")).EnumerateArray())
        {
            listings.Add($"/api/events/{e.GetProperty("slug").GetString()}/articles");
        }
        foreach (var listing in listings)
        {
            foreach (var item in (await Read(listing)).GetProperty("items").EnumerateArray())
            {
                await Read("/api/articles/" + item.GetProperty("slug").GetString());
            }
        }
        return answers;
    }

    private static IEnumerable<string> Slugs(JsonElement tree, string children) =>
        tree.EnumerateArray().SelectMany(n => Slugs(n.GetProperty(children), children).Prepend(n.GetProperty("slug").GetString()!));

    [Fact]
    public async Task Seeded_exported_wiped_and_restored_the_public_api_answers_exactly_as_before()
    {
        // The paper as readers see it, once every photo has its renditions.
        var before = await Eventually.PollAsync(ReadThePaperAsync,
            a => a.Values.All(v => v.Status == HttpStatusCode.OK && PublicApiTests.EveryPhotoReady(JsonDocument.Parse(v.Body).RootElement)),
            "the demo paper with every photo ready");
        var articles = before.Keys.Where(k => k.StartsWith("/api/articles/", StringComparison.Ordinal)).ToList();
        Assert.True(articles.Count >= 10, $"{articles.Count} articles read");

        var output = new StringWriter();
        Assert.Equal(0, await AdminAsync(output, "backup"));
        var id = output.ToString().Split(':')[0].Trim();

        output = new StringWriter();
        Assert.Equal(1, await AdminAsync(output, "restore", id));
        Assert.Contains("--replace", output.ToString(), StringComparison.Ordinal);

        // The tables are lost.
        await using (var storage = await NewsroomTestHost.CreateAsync(connectionString: _account))
        {
            foreach (var table in StorageNames.AllTables)
            {
                await TableBackup.EmptyAsync(storage.Get<StorageClients>().Table(table), CancellationToken.None);
            }
        }
        await Eventually.PollAsync(() => GetAsync(articles[0]), a => a.Status == HttpStatusCode.NotFound, "readers to see the loss");

        output = new StringWriter();
        Assert.Equal(0, await AdminAsync(output, "restore", id));
        Assert.StartsWith(id, output.ToString(), StringComparison.Ordinal);

        var after = await Eventually.PollAsync(async () =>
        {
            var now = new Dictionary<string, Answer>(StringComparer.Ordinal);
            foreach (var path in before.Keys)
            {
                now[path] = await GetAsync(path);
            }
            return now;
        }, now => now.All(p => p.Value == before[p.Key]), "every public answer as it was before");
        Assert.Equal(before.Count, after.Count);

        output = new StringWriter();
        Assert.Equal(0, await AdminAsync(output, "list"));
        Assert.StartsWith(id, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_or_unfinished_backup_is_refused_with_a_reason_and_a_bad_command_shows_the_usage()
    {
        var output = new StringWriter();
        Assert.Equal(1, await AdminAsync(output, "restore", "20260101T000000Z", "--replace"));
        Assert.Contains("no complete backup", output.ToString(), StringComparison.Ordinal);

        output = new StringWriter();
        Assert.Equal(2, await AdminAsync(output, "restore"));
        Assert.Contains("Usage", output.ToString(), StringComparison.Ordinal);
    }
}
