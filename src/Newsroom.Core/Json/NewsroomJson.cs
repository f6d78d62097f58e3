using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Newsroom.Time;

namespace Newsroom.Json;

/// <summary>
/// The JSON shapes of the API and of stored documents: camelCase, enums as camelCase strings. The two
/// differ only in how they write times: the API in Vietnam time (+07:00), storage in UTC. Both read any
/// ISO 8601 time; one without an offset is Vietnam time (<see cref="VietnamTime"/>).
/// </summary>
public static class NewsroomJson
{
    /// <summary>
    /// What the API reads and writes. Vietnamese letters are written as themselves (no \u escapes), while the
    /// HTML-sensitive characters (&lt; &gt; &amp; ' ") are still escaped, so text fields can never smuggle
    /// markup into a page that embeds the JSON.
    /// </summary>
    public static readonly JsonSerializerOptions Options = Create(utc: false);

    /// <summary>What storage keeps (documents, listing rows, queue messages): the same shape, times in UTC.</summary>
    public static readonly JsonSerializerOptions Stored = Create(utc: true);

    private static JsonSerializerOptions Create(bool utc)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            RespectNullableAnnotations = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new TimeConverter(utc));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    private sealed class TimeConverter(bool utc) : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // TryGetDateTime tells a time with no offset (Unspecified) from one with Z or an offset.
            if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTime(out var wallClock))
            {
                throw new JsonException("Expected an ISO 8601 time such as \"2026-12-01T06:00:00+07:00\".");
            }
            return wallClock.Kind == DateTimeKind.Unspecified
                ? VietnamTime.FromWallClock(wallClock)
                : reader.GetDateTimeOffset();
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(utc ? value.ToUniversalTime() : value.ToVietnam());
    }
}
