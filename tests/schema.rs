//! The JSON Schema in `docs/` is generated from the syntax types; this test
//! keeps the committed copy in step (`UPDATE_GOLDEN=1` rewrites it).

use attunement::checking::syntax::{ChoiceSyntax, ConditionSyntax, EndingSyntax, LaterSyntax, NodeSyntax, PeerSyntax, ScenarioFile, ThresholdsSyntax, VariantSyntax, schema};

#[test]
fn committed_schema_matches_the_syntax_types() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scenario.schema.json");
    let generated = serde_json::to_string_pretty(&schema()).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(committed == generated, "docs/scenario.schema.json is stale: run UPDATE_GOLDEN=1 cargo test --test schema");
}

#[test]
fn schema_describes_every_field_and_requires_exactly_the_required_ones() {
    let s = schema();
    let check = |node: &serde_json::Value, fields: &[&str], required: &[&str]| {
        let props = node["properties"].as_object().unwrap();
        let mut keys: Vec<&str> = props.keys().map(String::as_str).collect();
        keys.sort();
        let mut want = fields.to_vec();
        want.sort();
        assert_eq!(keys, want);
        for (k, v) in props {
            assert!(!v["description"].as_str().unwrap_or("").is_empty(), "field `{k}` has no description");
        }
        assert_eq!(node["required"], serde_json::json!(required));
        assert_eq!(node["additionalProperties"], false);
    };
    let top: Vec<&str> = ScenarioFile::FIELDS.iter().copied().chain(["$schema"]).collect();
    check(&s, &top, &["id", "title", "summary", "minutes", "peer"]);
    check(&s["properties"]["peer"], PeerSyntax::FIELDS, &["name", "trust"]);
    check(&s["properties"]["thresholds"], ThresholdsSyntax::FIELDS, &[]);
    let node = &s["properties"]["node"]["items"];
    check(node, NodeSyntax::FIELDS, &["id", "say"]);
    let choice = &node["properties"]["choice"]["items"];
    check(choice, ChoiceSyntax::FIELDS, &["text", "skill", "next"]);
    check(&choice["properties"]["when"], ConditionSyntax::FIELDS, &[]);
    check(&s["properties"]["ending"]["items"], EndingSyntax::FIELDS, &["id", "outcome", "title", "text"]);
    check(&choice["properties"]["later"], LaterSyntax::FIELDS, &["at", "trust", "feedback"]);
    let variant = &s["properties"]["ending"]["items"]["properties"]["variant"]["items"];
    check(variant, VariantSyntax::FIELDS, &["when"]);
    check(&variant["properties"]["when"], ConditionSyntax::FIELDS, &[]);
    assert_eq!(choice["properties"]["skill"]["enum"].as_array().unwrap().len(), attunement::Skill::ALL.len());
    assert_eq!(attunement::Skill::ALL.len(), 28);
}
