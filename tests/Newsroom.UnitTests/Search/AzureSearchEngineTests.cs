using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Newsroom.Search;
using static Newsroom.UnitTests.Search.SearchCorpus;

namespace Newsroom.UnitTests.Search;

public sealed class AzureSearchEngineTests
{
    private const string IndexName = "newsroom-articles";
    private readonly FakeSearchService _service = new();
    private readonly AzureSearchEngine _engine;

    public AzureSearchEngineTests() =>
        _engine = new AzureSearchEngine(_service.CreateClient(), IndexName, NullLogger<AzureSearchEngine>.Instance);

    [Fact]
    public async Task The_index_folds_diacritics_keeps_the_original_and_weighs_title_over_summary_over_body()
    {
        await _engine.EnsureIndexAsync(default);

        var put = _service.Single("PUT", $"/indexes('{IndexName}')");
        var index = put.Json;
        var tokenizer = index.GetProperty("tokenizers")[0];
        Assert.Equal("#Microsoft.Azure.Search.PatternTokenizer", tokenizer.GetProperty("@odata.type").GetString());
        Assert.Equal(@"[^\p{L}\p{N}\p{M}]+", tokenizer.GetProperty("pattern").GetString());

        var folding = index.GetProperty("tokenFilters")[0];
        Assert.Equal("#Microsoft.Azure.Search.AsciiFoldingTokenFilter", folding.GetProperty("@odata.type").GetString());
        Assert.True(folding.GetProperty("preserveOriginal").GetBoolean());

        var analyzer = index.GetProperty("analyzers")[0];
        Assert.Equal("#Microsoft.Azure.Search.CustomAnalyzer", analyzer.GetProperty("@odata.type").GetString());
        Assert.Equal(AzureSearchEngine.TokenizerName, analyzer.GetProperty("tokenizer").GetString());
        Assert.Equal(["lowercase", AzureSearchEngine.FoldingFilterName], analyzer.GetProperty("tokenFilters").EnumerateArray().Select(f => f.GetString()));

        var fields = index.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.True(fields["id"].GetProperty("key").GetBoolean());
        foreach (var text in new[] { "title", "summary", "body" })
        {
            Assert.True(fields[text].GetProperty("searchable").GetBoolean());
            Assert.Equal(AzureSearchEngine.AnalyzerName, fields[text].GetProperty("analyzer").GetString());
        }
        Assert.True(fields["category"].GetProperty("filterable").GetBoolean());
        Assert.Equal("Collection(Edm.String)", fields["events"].GetProperty("type").GetString());
        Assert.True(fields["events"].GetProperty("filterable").GetBoolean());
        Assert.Equal("Edm.DateTimeOffset", fields["publishedAt"].GetProperty("type").GetString());
        Assert.True(fields["publishedAt"].GetProperty("filterable").GetBoolean());
        Assert.True(fields["publishedAt"].GetProperty("sortable").GetBoolean());
        Assert.Equal("Edm.DateTimeOffset", fields["expireAt"].GetProperty("type").GetString());
        Assert.True(fields["expireAt"].GetProperty("filterable").GetBoolean());
        Assert.True(fields["kind"].GetProperty("filterable").GetBoolean()); // articles have none; print pages "print"

        var profile = index.GetProperty("scoringProfiles")[0];
        var weights = profile.GetProperty("text").GetProperty("weights");
        Assert.True(weights.GetProperty("title").GetDouble() > weights.GetProperty("summary").GetDouble());
        Assert.True(weights.GetProperty("summary").GetDouble() > weights.GetProperty("body").GetDouble());
        var freshness = profile.GetProperty("functions")[0];
        Assert.Equal("freshness", freshness.GetProperty("type").GetString());
        Assert.Equal("publishedAt", freshness.GetProperty("fieldName").GetString());
        Assert.Equal("P365D", freshness.GetProperty("freshness").GetProperty("boostingDuration").GetString());
        Assert.Equal(AzureSearchEngine.ScoringProfileName, index.GetProperty("defaultScoringProfile").GetString());
    }

    [Fact]
    public async Task A_section_with_sub_sections_filters_on_any_of_their_keys()
    {
        await _engine.SearchAsync(Query("lúa") with { Categories = ["kinh-te", "nong-nghiep"] }, Now, default);

        Assert.Contains("(category eq 'kinh-te' or category eq 'nong-nghiep')", _service.Single("POST", "/docs/search.post.search").Json.GetProperty("filter").GetString());
    }

    [Fact]
    public async Task Every_request_carries_a_bearer_token_for_the_search_audience()
    {
        await _engine.EnsureIndexAsync(default);
        await _engine.SearchAsync(Query("thái"), Now, default);

        Assert.All(_service.Requests, r => Assert.Equal("Bearer fake-token", r.Headers["Authorization"]));
        Assert.Contains(_service.Credential.Scopes, s => s.SequenceEqual(["https://search.azure.com/.default"]));
    }

    [Fact]
    public async Task The_query_requires_every_word_filters_visibility_and_asks_for_tagged_highlights_and_a_count()
    {
        await _engine.SearchAsync(Query("Thái Nguyên \"dân vận khéo\" 1666/QĐ-BHXH", category: "thoi-su", @event: "cchc-2026",
            from: Now.AddDays(-30), limit: 10, offset: 20), Now, default);

        var query = _service.Single("POST", "/docs/search.post.search").Json;
        Assert.Equal("+thái +nguyên +\"dân vận khéo\" +\"1666 qđ bhxh\" \"thái nguyên\"^1.5", query.GetProperty("search").GetString());
        Assert.Equal("full", query.GetProperty("queryType").GetString());
        Assert.Equal("any", query.GetProperty("searchMode").GetString());
        var filter = query.GetProperty("filter").GetString()!;
        Assert.Contains("publishedAt le 2026-03-01T00:00:00", filter);
        Assert.Contains("publishedAt ge 2026-01-30T00:00:00", filter);
        Assert.Contains("(expireAt eq null or expireAt gt 2026-03-01T00:00:00", filter);
        Assert.Contains("(category eq 'thoi-su')", filter);
        Assert.Contains("events/any(e: e eq 'cchc-2026')", filter);
        Assert.Contains("kind ne 'print'", filter);
        Assert.Equal(10, query.GetProperty("top").GetInt32());
        Assert.Equal(20, query.GetProperty("skip").GetInt32());
        Assert.True(query.GetProperty("count").GetBoolean());
        Assert.Equal("title,summary,body", query.GetProperty("highlight").GetString());
        Assert.Equal("title,summary,body", query.GetProperty("searchFields").GetString());
        Assert.Equal("\uE000", query.GetProperty("highlightPreTag").GetString());
        Assert.Equal("\uE001", query.GetProperty("highlightPostTag").GetString());
        Assert.Equal(AzureSearchEngine.ScoringProfileName, query.GetProperty("scoringProfile").GetString());
        Assert.StartsWith("search.score() desc", query.GetProperty("orderby").GetString());
    }

    [Fact]
    public async Task Newest_orders_by_publication_and_a_to_date_before_now_is_the_upper_bound()
    {
        await _engine.SearchAsync(Query("thái", SearchSort.Newest, to: Now.AddDays(-1)), Now, default);

        var query = _service.Single("POST", "/docs/search.post.search").Json;
        Assert.Equal("publishedAt desc", query.GetProperty("orderby").GetString());
        Assert.Contains("publishedAt le 2026-02-28T00:00:00", query.GetProperty("filter").GetString());
    }

    [Fact]
    public async Task User_text_never_reaches_the_service_as_syntax_and_filter_values_are_quoted()
    {
        await _engine.SearchAsync(Query("title:Thái OR body:* \"unbalanced (x) \\ ~2 ^3", category: "x' or 1 eq 1 or 'y"), Now, default);

        var query = _service.Single("POST", "/docs/search.post.search").Json;
        Assert.Equal(
            """+"title thái" +or +body +unbalanced +x +2 +3 "thái or"^1.5 "or body"^1.5 "body unbalanced"^1.5 "unbalanced x"^1.5 "x 2"^1.5 "2 3"^1.5""",
            query.GetProperty("search").GetString());
        Assert.Contains("category eq 'x'' or 1 eq 1 or ''y'", query.GetProperty("filter").GetString());
    }

    [Theory]
    [InlineData("!!! ??? ***")]
    [InlineData("\"\"")]
    [InlineData("")]
    public async Task Text_without_a_word_finds_nothing_without_asking_the_service(string text)
    {
        var results = await _engine.SearchAsync(Query(text), Now, default);
        Assert.Empty(results.Hits);
        Assert.Empty(_service.Requests);
    }

    [Fact]
    public async Task Highlight_tags_become_ranges_over_the_plain_text()
    {
        var longBody = string.Concat(Enumerable.Repeat("Người dân phấn khởi vì mùa màng bội thu. ", 6))
            + "Theo Quyết định \uE0001666\uE001/\uE000QĐ\uE001-\uE000BHXH\uE001 hồ sơ được nộp trực tuyến. "
            + string.Concat(Enumerable.Repeat("Nhiều gia đình đã có thu nhập ổn định. ", 6));
        _service.SearchResponse = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["@odata.count"] = 42,
            ["value"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["@search.score"] = 3.5,
                    ["@search.highlights"] = new Dictionary<string, string[]>
                    {
                        ["title"] = ["\uE000Thái\uE001 \uE000Nguyên\uE001 đẩy mạnh cải cách"],
                        ["summary"] = ["Tỉnh \uE000Thái\uE001 \uE000Nguyên\uE001 triển khai giải pháp \uE000CCHC\uE001."],
                    },
                    ["id"] = "tn",
                    ["title"] = "Thái Nguyên đẩy mạnh cải cách",
                    ["summary"] = "Tỉnh Thái Nguyên triển khai giải pháp CCHC.",
                },
                new Dictionary<string, object>
                {
                    ["@search.score"] = 2.0,
                    ["@search.highlights"] = new Dictionary<string, string[]> { ["body"] = [longBody] },
                    ["id"] = "bhxh",
                    ["title"] = "Hướng dẫn chính sách bảo hiểm",
                    ["summary"] = "Người lao động cần nắm rõ quy định mới.",
                },
                new Dictionary<string, object>
                {
                    ["@search.score"] = 1.0,
                    ["id"] = "plain",
                    ["title"] = "Không có đánh dấu",
                    ["summary"] = "Tóm tắt ngắn.",
                },
            },
        });

        var results = await _engine.SearchAsync(Query("thai nguyen"), Now, default);

        Assert.Equal(42, results.Total);
        Assert.Equal(["tn", "bhxh", "plain"], results.Hits.Select(h => h.Id));
        var tn = results.Hits[0];
        Assert.Equal(3.5, tn.Score);
        Assert.Equal("Thái Nguyên đẩy mạnh cải cách", tn.Title);
        Assert.Equal(["Thái Nguyên"], tn.TitleHighlights.Select(r => tn.Title.Substring(r.Start, r.Length)));
        Assert.Equal("Tỉnh Thái Nguyên triển khai giải pháp CCHC.", tn.Snippet);
        Assert.Equal(["Thái Nguyên", "CCHC"], tn.SnippetHighlights.Select(r => tn.Snippet.Substring(r.Start, r.Length)));

        var bhxh = results.Hits[1];
        Assert.DoesNotContain('\uE000', bhxh.Snippet);
        Assert.InRange(bhxh.Snippet.Length, 100, 220);
        Assert.True(char.IsLetterOrDigit(bhxh.Snippet[0]));
        Assert.Equal(["1666/QĐ-BHXH"], bhxh.SnippetHighlights.Select(r => bhxh.Snippet.Substring(r.Start, r.Length)));

        var plain = results.Hits[2];
        Assert.Empty(plain.TitleHighlights);
        Assert.Equal("Tóm tắt ngắn.", plain.Snippet);
        Assert.Empty(plain.SnippetHighlights);
    }

    [Fact]
    public async Task Upsert_sends_merge_or_upload_and_delete_sends_delete_actions()
    {
        var document = Doc("tn", "Tha\u0301i Nguyên", "Tóm tắt", "Nội dung", "thoi-su", ["cchc-2026"], days: 2);
        await _engine.UpsertAsync([document], default);
        await _engine.DeleteAsync(["tn", "gone"], default);

        var batches = _service.Requests.Where(r => r.Uri.AbsolutePath.EndsWith("/docs/search.index", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, batches.Count);
        var upload = batches[0].Json.GetProperty("value")[0];
        Assert.Equal("mergeOrUpload", upload.GetProperty("@search.action").GetString());
        Assert.Equal("tn", upload.GetProperty("id").GetString());
        Assert.Equal("Thái Nguyên", upload.GetProperty("title").GetString());
        Assert.Equal(["cchc-2026"], upload.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(document.PublishedAt, upload.GetProperty("publishedAt").GetDateTimeOffset());

        var deletes = batches[1].Json.GetProperty("value").EnumerateArray().ToList();
        Assert.All(deletes, d => Assert.Equal("delete", d.GetProperty("@search.action").GetString()));
        Assert.Equal(["tn", "gone"], deletes.Select(d => d.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_print_page_is_indexed_with_its_kind_and_found_only_by_a_print_search()
    {
        await _engine.UpsertAsync([Doc("print-u1-3", "Số 122", "", "Hoi nghi dan van", "bao-hang-thang", [], days: 2) with { Kind = SearchKind.PrintPage }], default);
        var indexed = _service.Requests.Single(r => r.Uri.AbsolutePath.EndsWith("/docs/search.index", StringComparison.Ordinal)).Json.GetProperty("value")[0];
        Assert.Equal("print", indexed.GetProperty("kind").GetString());

        await _engine.SearchAsync(Query("dân vận", category: "bao-hang-thang") with { Kind = SearchKind.PrintPage }, Now, default);
        var filter = _service.Single("POST", "/docs/search.post.search").Json.GetProperty("filter").GetString()!;
        Assert.Contains("kind eq 'print'", filter);
        Assert.Contains("(category eq 'bao-hang-thang')", filter);
    }

    [Fact]
    public async Task Large_batches_are_split_to_the_service_limit()
    {
        await _engine.UpsertAsync(SyntheticArticles.Generate(2500, seed: 1, Now).ToList(), default);
        var sizes = _service.Requests.Select(r => r.Json.GetProperty("value").GetArrayLength());
        Assert.Equal([1000, 1000, 500], sizes);
    }

    [Fact]
    public async Task Ids_are_read_a_thousand_at_a_time_in_id_order_each_page_after_the_last_id()
    {
        string Page(IEnumerable<string> ids) => JsonSerializer.Serialize(new { value = ids.Select(id => new Dictionary<string, object> { ["@search.score"] = 1.0, ["id"] = id }) });
        _service.NextSearchResponses.Enqueue(Page(Enumerable.Range(0, 1000).Select(i => $"a{i:D4}")));
        _service.NextSearchResponses.Enqueue(Page(["b0", "b1"]));

        var ids = await _engine.IdsAsync(default);

        Assert.Equal(1002, ids.Count);
        var queries = _service.Requests.Select(r => r.Json).ToList();
        Assert.Equal(2, queries.Count);
        Assert.All(queries, q => Assert.Equal(("*", "id asc", "id", 1000), (q.GetProperty("search").GetString(), q.GetProperty("orderby").GetString(), q.GetProperty("select").GetString(), q.GetProperty("top").GetInt32())));
        Assert.False(queries[0].TryGetProperty("filter", out _));
        Assert.Equal("id gt 'a0999'", queries[1].GetProperty("filter").GetString());
    }

    [Fact]
    public async Task A_page_out_of_range_is_a_bad_request() =>
        await Assert.ThrowsAsync<BadRequestException>(() => _engine.SearchAsync(Query("thái", limit: 500), Now, default));
}
