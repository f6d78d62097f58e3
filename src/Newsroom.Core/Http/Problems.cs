using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Newsroom.Json;

namespace Newsroom.Http;

/// <summary>
/// RFC 9457 problem details, and the one place that maps Newsroom's failures to HTTP status codes. The
/// Functions app reaches it through its ProblemDetailsMiddleware, on Azure and under the local host alike
/// (the local host runs the same app process), so both answer the same bad input the same way.
/// </summary>
public static class Problems
{
    public static IActionResult From(NewsroomException exception) => exception switch
    {
        NotFoundException => Create(StatusCodes.Status404NotFound, "Not found", exception.Message),
        BadRequestException => Create(StatusCodes.Status400BadRequest, "Bad request", exception.Message, exception.Errors),
        ValidationException => Create(StatusCodes.Status422UnprocessableEntity, "Validation failed", exception.Message, exception.Errors),
        ConflictException => Create(StatusCodes.Status409Conflict, "Conflict", exception.Message),
        PreconditionFailedException => Create(StatusCodes.Status412PreconditionFailed, "Precondition failed", exception.Message),
        PreconditionRequiredException => Create(StatusCodes.Status428PreconditionRequired, "Precondition required", exception.Message),
        PayloadTooLargeException => Create(StatusCodes.Status413PayloadTooLarge, "Payload too large", exception.Message),
        UnsupportedMediaTypeException => Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", exception.Message),
        StorageUnavailableException => new ProblemResult(StatusCodes.Status503ServiceUnavailable, "Service unavailable", exception.Message, null,
            StorageUnavailableException.RetryAfterSeconds),
        _ => Unexpected(),
    };

    /// <summary>A failure that is ours, not the caller's: no internals in the reply.</summary>
    public static IActionResult Unexpected() => Create(StatusCodes.Status500InternalServerError, "Internal error",
        "The server failed to handle the request. It has been logged; try again shortly.");

    public static IActionResult Create(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new ProblemResult(status, title, detail, errors, null);

    private sealed class ProblemResult(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors, int? retryAfterSeconds) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var http = context.HttpContext;
            var body = new Dictionary<string, object?>
            {
                ["type"] = $"https://www.rfc-editor.org/rfc/rfc9110#status.{status}",
                ["title"] = title,
                ["status"] = status,
                ["detail"] = detail,
                ["instance"] = http.Request.Path.Value,
            };
            if (errors is { Count: > 0 })
            {
                body["errors"] = errors;
            }
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body, NewsroomJson.Options);
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/problem+json; charset=utf-8";
            http.Response.Headers.CacheControl = "no-store";
            if (retryAfterSeconds is { } retryAfter)
            {
                http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            http.Response.ContentLength = bytes.Length;
            await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
        }
    }
}
