using Microsoft.Extensions.Logging.Abstractions;
using Newsroom.Search;
using static Newsroom.UnitTests.Search.SearchCorpus;

namespace Newsroom.UnitTests.Search;

public sealed class LuceneSearchEngineTests(SearchCorpus corpus) : IClassFixture<SearchCorpus>
{
    private async Task<SearchResults> Search(SearchQuery query, DateTimeOffset? now = null) =>
        await corpus.Engine.SearchAsync(query, now ?? Now, CancellationToken.None);

    private async Task<List<string>> Ids(string text, SearchSort sort = SearchSort.Relevance, string? category = null) =>
        (await Search(Query(text, sort, category))).Hits.Select(h => h.Id).ToList();

    [Theory]
    [InlineData("Thái Nguyên", "tn")]
    [InlineData("thai nguyen", "tn")]
    [InlineData("THAI NGUYEN", "tn")]
    [InlineData("dan van", "danvan")]
    [InlineData("duong lien xa", "road")]
    [InlineData("Đường liên xã", "road")]
    [InlineData("CCHC", "tn")]
    [InlineData("cchc", "tn")]
    [InlineData("UBND", "tn")]
    [InlineData("1666/QĐ-BHXH", "bhxh")]
    [InlineData("1666/qd-bhxh", "bhxh")]
    [InlineData("1666 QĐ BHXH", "bhxh")]
    [InlineData("quyết định 1666", "bhxh")]
    [InlineData("nguyen thai", "tn")]
    public async Task Finds_what_readers_type_with_or_without_diacritics(string text, string expected) =>
        Assert.Contains(expected, await Ids(text));

    [Fact]
    public async Task Decomposed_input_finds_the_precomposed_text()
    {
        var decomposed = "Thái Nguyên".Normalize(System.Text.NormalizationForm.FormD);
        Assert.Equal("tn", (await Ids(decomposed))[0]);
    }

    [Fact]
    public async Task D_with_stroke_folds_to_d()
    {
        Assert.Contains("road", await Ids("duong"));
        Assert.Contains("road", await Ids("DUONG LIEN XA"));
        Assert.Contains("road", await Ids("đuong"));
    }

    [Fact]
    public async Task A_different_document_number_does_not_match()
    {
        Assert.Empty(await Ids("1667/QĐ-BHXH"));
        Assert.Empty(await Ids("1666/QĐ-UBND"));
    }

    [Fact]
    public async Task Every_word_is_required()
    {
        Assert.Empty(await Ids("Thái Nguyên bóng đá"));
        Assert.Equal(["road"], await Ids("đường trải nhựa"));
    }

    [Fact]
    public async Task Quoted_words_must_appear_together_in_order_unquoted_ones_anywhere()
    {
        var unquoted = await Ids("dân vận khéo");
        Assert.Contains("danvan-scattered", unquoted);
        Assert.Contains("danvan", unquoted);
        Assert.Contains("tn", unquoted);

        var quoted = await Ids("\"dân vận khéo\"");
        Assert.DoesNotContain("danvan-scattered", quoted);
        Assert.Contains("danvan", quoted);
        Assert.Contains("tn", quoted);

        Assert.Contains("danvan", await Ids("“dan van kheo”"));
        Assert.Empty(await Ids("\"khéo dân vận\""));
    }

    [Fact]
    public async Task Syllables_side_by_side_rank_above_the_same_syllables_far_apart()
    {
        Assert.Equal(["adj-together", "adj-apart"], await Ids("thai nguyen", category: "adj"));
        Assert.Equal(["adj-together", "adj-apart"], await Ids("Thái Nguyên", category: "adj"));
    }

    [Fact]
    public async Task A_title_match_ranks_above_a_body_match_even_when_the_body_match_is_newer() =>
        Assert.Equal(["road", "traffic-body"], await Ids("giao thông"));

    [Fact]
    public async Task Diacritics_as_typed_rank_first_and_the_other_spellings_follow()
    {
        var accented = await Ids("Hà");
        Assert.Equal("ha-exact", accented[0]);
        Assert.Equal(["ha-dot", "ha-exact", "ha-plain"], accented.Order());

        Assert.Equal("ha-dot", (await Ids("hạ"))[0]);
        Assert.Equal("ha-dot", (await Ids("Hạ Lang"))[0]);
        // Without diacritics every spelling is an equally good match.
        Assert.Equal(["ha-dot", "ha-exact", "ha-plain"], (await Ids("ha")).Order());
    }

    [Fact]
    public async Task Filters_by_category_event_and_inclusive_dates()
    {
        Assert.Equal(["road", "traffic-body"], (await Search(Query("nông thôn", category: "kinh-te"))).Hits.Select(h => h.Id).Order());
        Assert.Empty((await Search(Query("nông thôn", category: "van-hoa"))).Hits);
        // Any of several keys (a section and its sub-sections).
        Assert.Equal(["road", "traffic-body"], (await Search(Query("nông thôn") with { Categories = ["van-hoa", "kinh-te"] })).Hits.Select(h => h.Id).Order());

        Assert.Equal(["danvan", "tn"], (await Search(Query("dân vận", @event: "cchc-2026"))).Hits.Select(h => h.Id).Order());

        var exactly = Now - TimeSpan.FromDays(10);
        Assert.Equal(["road"], (await Search(Query("đường", from: exactly, to: exactly))).Hits.Select(h => h.Id));
        Assert.Empty((await Search(Query("đường", from: exactly.AddTicks(TimeSpan.TicksPerMillisecond)))).Hits);
        Assert.Empty((await Search(Query("đường", to: exactly.AddTicks(-TimeSpan.TicksPerMillisecond)))).Hits);
        Assert.Empty((await Search(Query("đường", from: Now, to: exactly))).Hits);
    }

    [Fact]
    public async Task Newest_first_pages_through_every_match_with_the_total()
    {
        var pages = new List<string>();
        for (var offset = 0; offset < 9; offset += 3)
        {
            var page = await Search(Query("lễ hội", SearchSort.Newest, category: "le-hoi", limit: 3, offset: offset));
            Assert.Equal(7, page.Total);
            pages.AddRange(page.Hits.Select(h => h.Id));
        }
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"lh{i}"), pages);
    }

    [Fact]
    public async Task Relevance_pages_do_not_overlap_and_cover_every_match()
    {
        var first = await Search(Query("le hoi", limit: 4));
        var second = await Search(Query("le hoi", limit: 4, offset: 4));
        Assert.Equal(7, first.Total);
        Assert.Equal(7, second.Total);
        Assert.Equal(7, first.Hits.Concat(second.Hits).Select(h => h.Id).Distinct().Count());
    }

    [Fact]
    public async Task Among_equal_matches_the_newer_ranks_first() =>
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"lh{i}"), await Ids("lễ hội"));

    [Fact]
    public async Task Highlights_point_at_the_words_as_written_in_the_returned_text()
    {
        var hit = (await Search(Query("thai nguyen"))).Hits.Single(h => h.Id == "tn");
        Assert.Equal(["Thái Nguyên"], hit.TitleHighlights.Select(r => hit.Title.Substring(r.Start, r.Length)));
        Assert.Contains("Thái Nguyên", hit.SnippetHighlights.Select(r => hit.Snippet.Substring(r.Start, r.Length)));

        var number = (await Search(Query("1666/qd-bhxh"))).Hits.Single();
        Assert.Empty(number.TitleHighlights);
        Assert.Equal(["1666/QĐ-BHXH"], number.SnippetHighlights.Select(r => number.Snippet.Substring(r.Start, r.Length)));

        var abbreviation = (await Search(Query("cchc ubnd"))).Hits.Single();
        Assert.Equal(["CCHC", "UBND"], abbreviation.SnippetHighlights.Select(r => abbreviation.Snippet.Substring(r.Start, r.Length)));
    }

    [Fact]
    public async Task The_snippet_is_about_200_characters_on_word_boundaries_around_the_match()
    {
        var hit = (await Search(Query("cầu Bến Tượng"))).Hits.Single();
        var document = Documents.Single(d => d.Id == "long");
        var text = document.Summary + " " + document.Body;
        var at = text.IndexOf(hit.Snippet, StringComparison.Ordinal);

        Assert.InRange(hit.Snippet.Length, 150, 220);
        Assert.True(at > 0);
        Assert.False(char.IsLetterOrDigit(text[at - 1]));
        Assert.True(char.IsLetterOrDigit(hit.Snippet[0]));
        Assert.False(char.IsLetterOrDigit(text[at + hit.Snippet.Length]));
        Assert.Equal(["cầu Bến Tượng"], hit.SnippetHighlights.Select(r => hit.Snippet.Substring(r.Start, r.Length)));
    }

    [Fact]
    public async Task The_snippet_prefers_the_passage_with_the_most_query_words()
    {
        var hit = (await Search(Query("thai nguyen", category: "adj"))).Hits.Single(h => h.Id == "adj-together");
        Assert.Contains("Thái Nguyên", hit.SnippetHighlights.Select(r => hit.Snippet.Substring(r.Start, r.Length)));
        Assert.DoesNotContain("Ông Thái", hit.Snippet);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"\"\"")]
    [InlineData("+ - && || ! ( ) { } [ ] ^ \" ~ * ? : \\ /")]
    [InlineData("title:Thái OR body:*")]
    [InlineData("\"unbalanced phrase")]
    [InlineData("((((((((((")]
    [InlineData("***???")]
    [InlineData("\\")]
    [InlineData("AND OR NOT")]
    [InlineData("🙂🙂")]
    [InlineData("\0\u0001")]
    [InlineData("\uD800 lone surrogate")]
    [InlineData("   ")]
    [InlineData("")]
    public async Task Hostile_text_never_throws(string text)
    {
        var results = await Search(Query(text));
        Assert.True(results.Total >= 0);
    }

    [Fact]
    public async Task Text_with_no_searchable_word_finds_nothing()
    {
        var results = await Search(Query("!!! ... ---"));
        Assert.Empty(results.Hits);
        Assert.Equal(0, results.Total);
    }

    [Fact]
    public async Task Operators_are_words_or_separators_not_syntax()
    {
        Assert.Contains("tn", await Ids("+Thái -Nguyên"));
        Assert.Contains("tn", await Ids("(thai) nguyen*"));
        Assert.Contains("bhxh", await Ids("\"1666/QĐ-BHXH"));
    }

    [Fact]
    public async Task Very_long_text_is_cut_to_a_bounded_query()
    {
        var text = string.Join(' ', Enumerable.Repeat("thái nguyên", 400));
        Assert.Equal("tn", (await Ids(text))[0]);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(101, 0)]
    [InlineData(20, -1)]
    [InlineData(20, 9990)]
    public async Task A_page_out_of_range_is_a_bad_request(int limit, int offset) =>
        await Assert.ThrowsAsync<BadRequestException>(() => Search(Query("thái", limit: limit, offset: offset)));

    [Fact]
    public async Task A_scheduled_article_is_found_only_once_its_time_has_come()
    {
        using var engine = new LuceneSearchEngine(null, NullLogger<LuceneSearchEngine>.Instance);
        await engine.UpsertAsync([Doc("future", "Khai mạc hội chợ OCOP", "", "", "kinh-te", [], days: -1.0 / 24)], default);

        Assert.Empty((await engine.SearchAsync(Query("OCOP"), Now, default)).Hits);
        Assert.Empty((await engine.SearchAsync(Query("OCOP"), Now.AddMinutes(59), default)).Hits);
        Assert.Equal("future", (await engine.SearchAsync(Query("OCOP"), Now.AddHours(1), default)).Hits.Single().Id);
    }

    [Fact]
    public async Task Print_pages_and_articles_are_found_only_by_the_search_that_asks_for_their_kind()
    {
        using var engine = new LuceneSearchEngine(null, NullLogger<LuceneSearchEngine>.Instance);
        var article = Doc("article", "Hội chợ OCOP", "", "", "kinh-te", [], days: 1);
        var page = Doc("print-u1-3", "Số 122 – Báo Hằng tháng", "", "Hoi cho OCOP dong nguoi", "bao-hang-thang", [], days: 1) with { Kind = SearchKind.PrintPage };
        await engine.UpsertAsync([article, page], default);

        Assert.Equal(["article"], (await engine.SearchAsync(Query("OCOP"), Now, default)).Hits.Select(h => h.Id));
        var pages = await engine.SearchAsync(Query("OCOP") with { Kind = SearchKind.PrintPage }, Now, default);
        Assert.Equal(["print-u1-3"], pages.Hits.Select(h => h.Id));
        Assert.Equal(1, pages.Total);
        Assert.Empty((await engine.SearchAsync(Query("OCOP", category: "kinh-te") with { Kind = SearchKind.PrintPage }, Now, default)).Hits);
        Assert.Single((await engine.SearchAsync(Query("OCOP", category: "bao-hang-thang") with { Kind = SearchKind.PrintPage }, Now, default)).Hits);
        // Its highlights point into the page's text.
        var hit = pages.Hits.Single();
        Assert.Equal(["OCOP"], hit.SnippetHighlights.Select(r => hit.Snippet.Substring(r.Start, r.Length)));
    }

    [Fact]
    public async Task An_expiring_article_is_not_found_from_its_expiry_and_scores_as_if_it_never_expired()
    {
        using var engine = new LuceneSearchEngine(null, NullLogger<LuceneSearchEngine>.Instance);
        var notice = Doc("notice", "Tuyển dụng viên chức hội chợ OCOP", "", "", "kinh-te", [], days: 1) with { ExpireAt = Now.AddHours(2) };
        var lasting = Doc("lasting", "Hội chợ OCOP", "", "", "kinh-te", [], days: 1);
        await engine.UpsertAsync([notice, lasting], default);

        var before = await engine.SearchAsync(Query("OCOP"), Now.AddHours(2).AddMilliseconds(-1), default);
        Assert.Equal(2, before.Total);
        var after = await engine.SearchAsync(Query("OCOP"), Now.AddHours(2), default);
        Assert.Equal(["lasting"], after.Hits.Select(h => h.Id));
        Assert.Equal(1, after.Total);
        Assert.Equal(before.Hits.Single(h => h.Id == "lasting").Score, after.Hits.Single().Score, 5);
        Assert.Equal(["lasting"], (await engine.SearchAsync(Query("OCOP", SearchSort.Newest), Now.AddDays(1), default)).Hits.Select(h => h.Id));

        // Expiry moved later by an edit: found again.
        await engine.UpsertAsync([notice with { ExpireAt = Now.AddDays(2) }], default);
        Assert.Equal(2, (await engine.SearchAsync(Query("OCOP"), Now.AddDays(1), default)).Total);
    }

    [Fact]
    public async Task Upsert_replaces_and_delete_removes_idempotently()
    {
        using var engine = new LuceneSearchEngine(null, NullLogger<LuceneSearchEngine>.Instance);
        var first = Doc("x", "Khánh thành cầu Bến Tượng", "", "", "kinh-te", [], days: 1);
        await engine.UpsertAsync([first], default);
        await engine.UpsertAsync([first], default);
        Assert.Equal(1, (await engine.SearchAsync(Query("cầu"), Now, default)).Total);

        await engine.UpsertAsync([first with { Title = "Khánh thành trường học" }], default);
        Assert.Empty((await engine.SearchAsync(Query("Bến Tượng"), Now, default)).Hits);
        Assert.Equal("x", (await engine.SearchAsync(Query("truong hoc"), Now, default)).Hits.Single().Id);

        await engine.DeleteAsync(["x", "never-indexed"], default);
        await engine.DeleteAsync(["x"], default);
        Assert.Empty((await engine.SearchAsync(Query("khánh thành"), Now, default)).Hits);
    }

    [Fact]
    public async Task Ids_are_the_documents_in_the_index_not_the_deleted_or_replaced_ones_twice()
    {
        using var engine = new LuceneSearchEngine(null, NullLogger<LuceneSearchEngine>.Instance);
        await engine.UpsertAsync(Documents, default);
        await engine.UpsertAsync([Documents[0]], default);
        await engine.DeleteAsync([Documents[1].Id], default);

        Assert.Equal(Documents.Skip(2).Prepend(Documents[0]).Select(d => d.Id).Order(StringComparer.Ordinal), await engine.IdsAsync(default));
    }

    [Fact]
    public async Task An_index_on_disk_survives_a_restart()
    {
        var path = Path.Combine(Path.GetTempPath(), "newsroom-search-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var engine = new LuceneSearchEngine(path, NullLogger<LuceneSearchEngine>.Instance))
            {
                await engine.UpsertAsync(Documents, default);
            }
            using var reopened = new LuceneSearchEngine(path, NullLogger<LuceneSearchEngine>.Instance);
            Assert.Equal("bhxh", (await reopened.SearchAsync(Query("1666/qd-bhxh"), Now, default)).Hits.Single().Id);
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public async Task A_document_upserted_as_it_is_indexed_costs_no_write_and_a_changed_one_is_written()
    {
        using var engine = new LuceneSearchEngine(null, NullLogger<LuceneSearchEngine>.Instance);
        await engine.UpsertAsync(Documents, default);
        var shape = engine.Shape;

        await engine.UpsertAsync(Documents, default); // the catch-up's look back, a rebuild

        Assert.Equal(shape, engine.Shape); // no new segment, nothing replaced

        var edited = Documents[0] with { Title = Documents[0].Title + " (cập nhật)" };
        await engine.UpsertAsync([Documents[1], edited], default);

        Assert.Equal((shape.Segments + 1, shape.Documents, shape.Deleted + 1), engine.Shape); // the edit only
        Assert.Equal([edited.Id], (await engine.SearchAsync(Query("cap nhat"), Now, default)).Hits.Select(h => h.Id));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // and the merged-away files are let go: unmapped, so their disk space comes back
    public async Task Compacting_merges_the_segments_into_one_and_every_search_answers_as_before(bool onDisk)
    {
        var path = onDisk ? Directory.CreateTempSubdirectory("newsroom-search-").FullName : null;
        try
        {
            await CompactAndCompare(path);
            if (path is not null)
            {
                var held = File.ReadLines("/proc/self/maps").Where(line => line.Contains(path, StringComparison.Ordinal) && line.EndsWith("(deleted)", StringComparison.Ordinal));
                Assert.Empty(held);
            }
        }
        finally
        {
            if (path is not null)
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    private async Task CompactAndCompare(string? path)
    {
        using var engine = new LuceneSearchEngine(path, NullLogger<LuceneSearchEngine>.Instance);
        foreach (var document in Documents)
        {
            await engine.UpsertAsync([document], default); // each write its own commit: a segment each
        }
        // (No deletions: the statistics BM25 weighs with count deleted documents until a merge drops them, so scores
        // would move, as they do on any merge.)
        Assert.True(engine.Shape.Segments > 1);
        string[] queries = ["thai nguyen", "Thái Nguyên", "ubnd", "1666/qd-bhxh", "\"cai cach\"", "dan van"];
        async Task<string> AnswersAsync()
        {
            var answers = new List<string>();
            foreach (var text in queries)
            {
                var results = await engine.SearchAsync(Query(text), Now, default);
                answers.Add($"{text}: {results.Total} = " + string.Join(", ", results.Hits.Select(h => $"{h.Id} {h.Score:R} {h.Snippet}")));
            }
            return string.Join("\n", answers);
        }
        var before = await AnswersAsync();

        await engine.CompactAsync(default);

        Assert.Equal((1, Documents.Count, 0), engine.Shape);
        Assert.Equal(before, await AnswersAsync());
        if (path is not null)
        {
            var mapped = File.ReadLines("/proc/self/maps").Count(line => line.Contains(path, StringComparison.Ordinal));
            Assert.True(mapped > 0, "the index is not read through maps"); // what the check above relies on
        }
    }

    [Fact]
    public async Task An_index_on_disk_is_open_in_one_process_at_a_time()
    {
        var path = Path.Combine(Path.GetTempPath(), "newsroom-search-" + Guid.NewGuid().ToString("N"));
        var lockFile = Path.Combine(path, LuceneSearchEngine.ProcessLockFile);
        try
        {
            using (var engine = new LuceneSearchEngine(path, NullLogger<LuceneSearchEngine>.Instance))
            {
                await engine.UpsertAsync(Documents, default);
                // Another process (flock(1), the lock the operating system keeps) cannot take the index...
                Assert.Equal(1, await IndexLock.FlockAsync(lockFile));
                // ...nor can a second engine, which says why instead of writing beside the first.
                var refused = Assert.Throws<InvalidOperationException>(() =>
                    new LuceneSearchEngine(path, NullLogger<LuceneSearchEngine>.Instance, lockWait: TimeSpan.Zero));
                Assert.Contains("open in another process", refused.Message, StringComparison.Ordinal);
                Assert.Contains(path, refused.Message, StringComparison.Ordinal);
            }
            // Closed, the index is free again, and whole.
            Assert.Equal(0, await IndexLock.FlockAsync(lockFile));
            using var reopened = new LuceneSearchEngine(path, NullLogger<LuceneSearchEngine>.Instance, lockWait: TimeSpan.Zero);
            Assert.Equal(Documents.Count, (await reopened.IdsAsync(default)).Count);
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public async Task A_text_longer_than_a_hit_record_holds_still_gets_its_snippet_from_anywhere_in_it()
    {
        using var engine = new LuceneSearchEngine(null, NullLogger<LuceneSearchEngine>.Instance);
        // About 60 KB of UTF-8, every character of it two or three bytes, and the match near the end.
        var filler = string.Concat(Enumerable.Repeat("Đường liên xã được trải nhựa phẳng phiu. ", 1500));
        var teaser = "{\"id\":\"long\"}";
        await engine.UpsertAsync([Doc("long", "Tổng kết năm", "Tóm tắt", filler + "Cuối cùng là hồ Núi Cốc.", "xa-hoi", [], days: 1) with { Teaser = teaser },
            Doc("short", "Hồ Núi Cốc mùa thu", "", "Nước hồ trong xanh.", "xa-hoi", [], days: 2)], default);

        var hits = (await engine.SearchAsync(Query("nui coc"), Now, default)).Hits;

        Assert.Equal(["short", "long"], hits.Select(h => h.Id).Order(StringComparer.Ordinal).Reverse());
        var deep = hits.Single(h => h.Id == "long");
        Assert.Contains("Núi Cốc", deep.Snippet);
        Assert.Equal("Núi Cốc", deep.Snippet.Substring(deep.SnippetHighlights[0].Start, deep.SnippetHighlights[0].Length));
        Assert.Equal(teaser, deep.Teaser);
        Assert.Equal("Tổng kết năm", deep.Title);
        var near = hits.Single(h => h.Id == "short");
        Assert.Equal("Hồ Núi Cốc mùa thu", near.Title);
        Assert.Equal("Núi Cốc", near.Title.Substring(near.TitleHighlights[0].Start, near.TitleHighlights[0].Length));
    }

    [Fact]
    public async Task Concurrent_writes_and_searches_do_not_interfere()
    {
        using var engine = new LuceneSearchEngine(null, NullLogger<LuceneSearchEngine>.Instance);
        var articles = SyntheticArticles.Generate(400, seed: 7, Now).ToList();
        var writes = articles.Chunk(50).Select(batch => Task.Run(() => engine.UpsertAsync(batch, default)));
        var reads = Enumerable.Range(0, 8).Select(_ => Task.Run(() => engine.SearchAsync(Query("thai nguyen"), Now, default)));
        await Task.WhenAll(writes.Concat<Task>(reads));
        foreach (var article in articles.Where((_, i) => i % 40 == 0))
        {
            var found = await engine.SearchAsync(Query($"\"{article.Title}\"", limit: 100), Now, default);
            Assert.Contains(article.Id, found.Hits.Select(h => h.Id));
        }
    }
}
