using System.Reflection;
using System.Xml.Linq;
using Xunit;

namespace Tensors.Tests.Docs;

/// <summary>
/// Every public method, constructor and indexer of the packages documents each of its parameters. The compiler only
/// checks members that have some param tags (CS1573); this closes the gap for members that have none, reading the
/// XML documentation files the builds write beside the assemblies.
/// </summary>
public class ParameterDocsTests
{
    public static TheoryData<string> Assemblies => new() { "Tensor", "Tensor.Cuda" };

    // Issue 13: src/Tensor/Training/ is being reworked on the "train" branch, which documents its own parameters
    // (9 members here: Callback's six hooks, Learner's constructor, Fit and FitOneCycle). Delete this entry when
    // that branch is merged; nothing else may be listed here.
    private static readonly string[] PendingElsewhere = ["M:Tensors.Training.", "P:Tensors.Training."];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void EveryPublicParameterIsDocumented(string assemblyName)
    {
        var assembly = Assembly.Load(assemblyName);
        var xmlPath = Path.ChangeExtension(assembly.Location, ".xml");
        Assert.True(File.Exists(xmlPath), $"{xmlPath} is missing: the library projects generate their XML docs.");
        var publicMembers = PublicMemberKeys(assembly);
        var missing = new List<string>();
        foreach (var member in XDocument.Load(xmlPath).Descendants("member"))
        {
            var id = (string)member.Attribute("name")!;
            if (!(id.StartsWith("M:") || id.StartsWith("P:")) || !id.Contains('(')) continue;
            if (member.Element("inheritdoc") is not null) continue;
            int parameters = ParameterCount(id);
            if (!publicMembers.Contains(Key(id, parameters))) continue;
            if (PendingElsewhere.Any(prefix => id.StartsWith(prefix, StringComparison.Ordinal))) continue;
            var documented = member.Elements("param").Count(p => !string.IsNullOrWhiteSpace(p.Value));
            if (documented < parameters) missing.Add($"{id} ({documented} of {parameters} parameters documented)");
        }
        Assert.True(missing.Count == 0, $"{missing.Count} public members lack <param> docs:\n" + string.Join("\n", missing));
    }

    // "Namespace.Type.Name/count" for every public or protected method, constructor and indexer of public types.
    private static HashSet<string> PublicMemberKeys(Assembly assembly)
    {
        var keys = new HashSet<string>();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes().Where(IsVisible))
        {
            var typeName = type.FullName!.Replace('+', '.');
            foreach (var method in type.GetMethods(all).Where(m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly))
                keys.Add($"{typeName}.{method.Name}/{method.GetParameters().Length}");
            foreach (var ctor in type.GetConstructors(all).Where(c => c.IsPublic || c.IsFamily || c.IsFamilyOrAssembly))
                keys.Add($"{typeName}.#ctor/{ctor.GetParameters().Length}");
            foreach (var property in type.GetProperties(all).Where(p => p.GetIndexParameters().Length > 0))
                if ((property.GetMethod ?? property.SetMethod) is { } accessor && (accessor.IsPublic || accessor.IsFamily))
                    keys.Add($"{typeName}.{property.Name}/{property.GetIndexParameters().Length}");
        }
        return keys;
    }

    private static bool IsVisible(Type type) =>
        type.IsPublic || (type.IsNestedPublic && IsVisible(type.DeclaringType!)) || (type.IsNestedFamily && IsVisible(type.DeclaringType!));

    // M:Tensors.Tensor.Add(Tensors.Tensor,Tensors.Scalar) -> Tensors.Tensor.Add/2; generic arity marks (``1) dropped.
    private static string Key(string id, int parameters)
    {
        var name = id[2..id.IndexOf('(')];
        int tick = name.IndexOf("``", StringComparison.Ordinal);
        if (tick >= 0) name = name[..tick];
        return $"{name}/{parameters}";
    }

    // Top-level commas of the parameter list: generic arguments ({...}) and array ranks ([0:,0:]) nest.
    private static int ParameterCount(string id)
    {
        int open = id.IndexOf('('), close = id.LastIndexOf(')');
        if (close == open + 1) return 0;
        int depth = 0, count = 1;
        for (int i = open + 1; i < close; i++)
        {
            char c = id[i];
            if (c is '{' or '[') depth++;
            else if (c is '}' or ']') depth--;
            else if (c == ',' && depth == 0) count++;
        }
        return count;
    }
}
