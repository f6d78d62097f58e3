namespace Newsroom;

/// <summary>
/// A failure the caller can act on. Each kind maps to one HTTP status in one place (the Functions app's
/// problem-details mapping); the message is the RFC 9457 "detail" a person reads.
/// </summary>
public abstract class NewsroomException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Per-field messages, camelCase field path → messages (the problem's "errors" member).</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>More members of the problem (RFC 9457 §3.2), e.g. "allowed" transitions or "usedBy" articles.</summary>
    public IReadOnlyDictionary<string, object?>? Members { get; init; }
}

/// <summary>The thing asked for does not exist, or is not public.</summary>
public sealed class NotFoundException(string message) : NewsroomException(message);

/// <summary>The thing asked for was public and is no longer, for good (an expired notice): 410 Gone.</summary>
public sealed class GoneException(string message) : NewsroomException(message);

/// <summary>The request is malformed: a parameter out of range, a cursor that is not ours.</summary>
public sealed class BadRequestException(string message) : NewsroomException(message);

/// <summary>The request is well-formed but its content breaks a rule (per-field errors).</summary>
public sealed class ValidationException(string message) : NewsroomException(message);

/// <summary>The write conflicts with the current state (e.g. a slug taken, a wrong state transition).</summary>
public sealed class ConflictException(string message) : NewsroomException(message);

/// <summary>The If-Match entity tag is stale: someone else changed the resource first.</summary>
public sealed class PreconditionFailedException(string message) : NewsroomException(message);

/// <summary>A write that needs If-Match came without one.</summary>
public sealed class PreconditionRequiredException(string message) : NewsroomException(message);

/// <summary>The upload is larger than the configured limit.</summary>
public sealed class PayloadTooLargeException(string message) : NewsroomException(message);

/// <summary>The content is not of a type we accept (judged by its bytes, not its name).</summary>
public sealed class UnsupportedMediaTypeException(string message) : NewsroomException(message);

/// <summary>
/// A service the request needs (storage; Entra ID's signing keys) did not answer in time or cannot be
/// reached: nothing was lost or half-written, and the same request is likely to work in a few seconds (503
/// with Retry-After).
/// </summary>
public sealed class ServiceUnavailableException(string message, Exception? inner = null)
    : NewsroomException(message + " Nothing was changed; try again in a few seconds.", inner)
{
    /// <summary>Seconds a client should wait before it tries again.</summary>
    public const int RetryAfterSeconds = 5;
}

/// <summary>No valid sign-in: 401 with WWW-Authenticate: Bearer.</summary>
public sealed class UnauthorizedException(string message, string? error) : NewsroomException(message)
{
    /// <summary>The Bearer challenge's error code ("invalid_token"), or null when no token was sent (RFC 6750 §3).</summary>
    public string? Error { get; } = error;

    public string? ErrorDescription { get; init; }
}

/// <summary>Signed in, but without the role the action needs: 403 naming it.</summary>
public sealed class ForbiddenException(string message) : NewsroomException(message);
