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
        GoneException => Create(StatusCodes.Status410Gone, "Gone", exception.Message),
        BadRequestException => Create(StatusCodes.Status400BadRequest, "Bad request", exception.Message, exception.Errors),
        ValidationException => Create(StatusCodes.Status422UnprocessableEntity, "Validation failed", exception.Message, exception.Errors),
        ConflictException => new ProblemResult(StatusCodes.Status409Conflict, "Conflict", exception.Message, exception.Errors) { Members = exception.Members },
        PreconditionFailedException => Create(StatusCodes.Status412PreconditionFailed, "Precondition failed", exception.Message),
        PreconditionRequiredException => Create(StatusCodes.Status428PreconditionRequired, "Precondition required", exception.Message),
        PayloadTooLargeException => Create(StatusCodes.Status413PayloadTooLarge, "Payload too large", exception.Message),
        UnsupportedMediaTypeException => Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", exception.Message),
        UnauthorizedException unauthorized => new ProblemResult(StatusCodes.Status401Unauthorized, "Unauthorized", exception.Message, null)
        {
            Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = Challenge(unauthorized) },
        },
        ForbiddenException => new ProblemResult(StatusCodes.Status403Forbidden, "Forbidden", exception.Message, null) { Members = exception.Members },
        ServiceUnavailableException => new ProblemResult(StatusCodes.Status503ServiceUnavailable, "Service unavailable", exception.Message, null)
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = ServiceUnavailableException.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        _ => Unexpected(),
    };

    /// <summary>A failure that is ours, not the caller's: no internals in the reply.</summary>
    public static IActionResult Unexpected() => Create(StatusCodes.Status500InternalServerError, "Internal error",
        "The server failed to handle the request. It has been logged; try again shortly.");

    public static IActionResult Create(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new ProblemResult(status, title, detail, errors);

    /// <summary>The Bearer challenge (RFC 6750 §3): an error code only when a token was sent and refused.</summary>
    private static string Challenge(UnauthorizedException e)
    {
        var challenge = "Bearer realm=\"newsroom\"";
        if (e.Error is { } error)
        {
            challenge += $", error=\"{error}\"";
        }
        if (e.ErrorDescription is { } description)
        {
            challenge += $", error_description=\"{description.Replace("\"", "'", StringComparison.Ordinal)}\"";
        }
        return challenge;
    }

    private sealed class ProblemResult(int status, string title, string detail, IReadOnlyDictionary<string, string[]>? errors) : IActionResult
    {
        /// <summary>Extension members of the problem (RFC 9457 §3.2).</summary>
        public IReadOnlyDictionary<string, object?>? Members { get; init; }

        public IReadOnlyDictionary<string, string>? Headers { get; init; }

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
            foreach (var (name, value) in Members ?? new Dictionary<string, object?>())
            {
                body[name] = value;
            }
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body, NewsroomJson.Options);
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/problem+json; charset=utf-8";
            http.Response.Headers.CacheControl = "no-store";
            foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
            {
                http.Response.Headers[name] = value;
            }
            http.Response.ContentLength = bytes.Length;
            await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
        }
    }
}
