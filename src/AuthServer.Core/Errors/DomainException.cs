namespace AuthServer.Core.Errors;

/// <summary>
/// A refusal the caller can act on. Each subtype maps to exactly one answer: the CLI prints the
/// message and exits non-zero, the admin API turns it into problem details with a status.
/// </summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>Input that breaks a rule; <see cref="Field"/> names the offending field.</summary>
public sealed class ValidationFailedException(string field, string message) : DomainException(message)
{
    public string Field { get; } = field;
}

public sealed class NotFoundException(string what, string key) : DomainException($"{what} '{key}' does not exist");

/// <summary>A name that is taken, or a state change that contradicts the current state.</summary>
public sealed class ConflictException(string message) : DomainException(message);
