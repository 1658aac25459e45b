namespace AuthServer.Tokens;

/// <summary>
/// A refused token request. Each kind has one status and one registry error code; the body is
/// the registry's error JSON, which docker, containerd and containers/image all display.
/// </summary>
public sealed record TokenError(int Status, string Code, string Message, int? RetryAfterSeconds = null)
{
    public const string InvalidRequestCode = "INVALID_REQUEST";

    /// <summary>The registry's code for 429 (errcode TOOMANYREQUESTS), which docker and containers/image display as such.</summary>
    public const string TooManyRequestsCode = "TOOMANYREQUESTS";

    public static TokenError BadRequest(string message) => new(StatusCodes.Status400BadRequest, InvalidRequestCode, message);

    /// <summary>One message for every credential failure, so the answer never tells which part was wrong.</summary>
    public static readonly TokenError Unauthorized =
        new(StatusCodes.Status401Unauthorized, "UNAUTHORIZED", "authentication required: invalid username, password or token");

    /// <summary>
    /// The account or address is locked after failed sign-ins. One message for both, and for
    /// existing and unknown accounts alike, so it tells nothing about which names exist.
    /// </summary>
    public static TokenError LockedOut(TimeSpan wait)
    {
        var seconds = Seconds(wait);
        return new(StatusCodes.Status429TooManyRequests, TooManyRequestsCode, $"too many failed sign-in attempts: try again in {seconds} seconds", seconds);
    }

    public static TokenError RateLimited(TimeSpan wait)
    {
        var seconds = Seconds(wait);
        return new(StatusCodes.Status429TooManyRequests, TooManyRequestsCode, $"too many requests from this address: try again in {seconds} seconds", seconds);
    }

    /// <summary>
    /// Every password hashing worker is busy and the queue is full (a burst of cold logins): the
    /// registry's UNAVAILABLE, which clients show and may retry after the pause.
    /// </summary>
    public static readonly TokenError Busy =
        new(StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", "the server is busy checking other sign-ins: try again in a second", 1);

    /// <summary>The identity source that checks this user's password (the directory) cannot be reached; no reason from it is given.</summary>
    public static TokenError SourceUnavailable(TimeSpan wait)
    {
        var seconds = Seconds(wait);
        return new(StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", $"sign-in is unavailable for the moment: try again in {seconds} seconds", seconds);
    }

    public static TokenError MethodNotAllowed(string method) =>
        new(StatusCodes.Status405MethodNotAllowed, "UNSUPPORTED", $"method {method} is not allowed here: use GET or POST");

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}
