namespace Rotor.Http;

/// <summary>
/// Why an operation was refused, as a value: a stable <see cref="RotorErrorCodes">code</see>, and where it
/// applies how long to wait and which fields need attention. Services return these; only
/// <see cref="RotorProblems"/> turns them into HTTP answers, through <see cref="RotorErrorTable"/>.
/// </summary>
internal readonly record struct RotorError(
    string Code,
    TimeSpan? RetryAfter = null,
    IDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public static implicit operator RotorError(string code) => new(code);

    /// <summary><c>validation_failed</c> with one field's message.</summary>
    public static RotorError Invalid(string field, string message) =>
        new(RotorErrorCodes.ValidationFailed, Errors: new Dictionary<string, string[]> { [field] = [message] });

    /// <summary><c>validation_failed</c> with the fields that need attention.</summary>
    public static RotorError Validation(IDictionary<string, string[]> errors) => new(RotorErrorCodes.ValidationFailed, Errors: errors);
}
