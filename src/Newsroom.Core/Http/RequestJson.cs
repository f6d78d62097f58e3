using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Newsroom.Json;

namespace Newsroom.Http;

/// <summary>Reads a JSON request body, turning every way it can be wrong into a 400 that says where.</summary>
public static class RequestJson
{
    public const int MaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>The body as <typeparamref name="T"/>; null when the body is empty and <paramref name="allowEmpty"/>.</summary>
    public static async Task<T?> ReadAsync<T>(HttpRequest request, bool allowEmpty, CancellationToken cancellationToken) where T : class
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            throw new BadRequestException($"The request body is {request.ContentLength} bytes; the limit is {MaxBodyBytes} bytes.");
        }
        using var buffer = new MemoryStream();
        await BoundedCopy.CopyAsync(request.Body, buffer, MaxBodyBytes,
            () => new BadRequestException($"The request body is larger than the limit of {MaxBodyBytes} bytes."), cancellationToken);
        if (buffer.Length == 0)
        {
            return allowEmpty ? null : throw new BadRequestException("The request needs a JSON body (Content-Type: application/json).");
        }
        if (request.ContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadRequestException($"The body must be JSON (Content-Type: application/json), not '{contentType}'.");
        }
        try
        {
            return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), NewsroomJson.Options)
                ?? throw new BadRequestException("The JSON body is null; send an object.");
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path ? path[2..] : "";
            var where = field.Length > 0 ? $" at {field}" : "";
            throw new BadRequestException($"The JSON body could not be read{where}: {Describe(e)}")
            {
                Errors = field.Length > 0 ? new Dictionary<string, string[]> { [field] = [Describe(e)] } : null,
            };
        }
    }

    private static string Describe(JsonException e) =>
        e.Message.Contains("discriminator", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("derived type", StringComparison.OrdinalIgnoreCase)
            ? "unknown or missing block \"type\"; use paragraph, heading, image, quote or video."
            : e.InnerException?.Message ?? e.Message.Split(" Path:", 2)[0];
}
