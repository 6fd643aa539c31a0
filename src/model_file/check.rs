//! Consistency checks on a decoded model, so a damaged file fails with a message instead of
//! an out-of-range index, a loop in the tree or a NaN threshold later on.

use super::{ColumnKind, ModelFile};
use crate::tree::{Feature, Node};

impl ModelFile {
    /// Returns the first inconsistency found, as a phrase for an error message.
    pub fn check(&self) -> Result<(), String> {
        self.check_classes()?;
        self.check_features()?;
        self.check_tree()
    }

    fn check_classes(&self) -> Result<(), String> {
        if self.classes.len() < 2 {
            return Err(format!(
                "it lists {} classes, and a classifier needs at least two",
                self.classes.len()
            ));
        }
        for (index, class) in self.classes.iter().enumerate() {
            if self.classes[..index].contains(class) {
                return Err(format!("class `{class}` is listed twice"));
            }
        }
        if self.schema.iter().any(|c| c.name == self.target) {
            return Err(format!(
                "the target `{}` is also listed as an input column",
                self.target
            ));
        }
        Ok(())
    }

    fn check_features(&self) -> Result<(), String> {
        for (index, feature) in self.preprocessing.features.iter().enumerate() {
            let column = feature.column();
            let Some(schema) = self.schema.iter().find(|c| c.name == column) else {
                return Err(format!(
                    "feature {index} reads column `{column}`, which the schema does not list"
                ));
            };
            let expected = match feature {
                Feature::Numeric { .. } => ColumnKind::Numeric,
                Feature::Category { .. } | Feature::Missing { .. } => ColumnKind::Categorical,
            };
            if schema.kind != expected {
                return Err(format!(
                    "feature {index} treats column `{column}` as {expected:?}, but the schema \
                     says {:?}",
                    schema.kind
                )
                .to_lowercase());
            }
            if let Feature::Numeric { fill, scaling, .. } = feature {
                let scaling_ok = scaling
                    .as_ref()
                    .is_none_or(|s| s.center.is_finite() && s.scale.is_finite() && s.scale > 0.0);
                if !fill.is_finite() || !scaling_ok {
                    return Err(format!(
                        "feature {index} (`{column}`) has a fill value or rescaling that is not \
                         a finite number"
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_tree(&self) -> Result<(), String> {
        let nodes = &self.tree.nodes;
        let n_classes = self.classes.len();
        if nodes.is_empty() {
            return Err("the tree has no nodes".into());
        }
        if self.tree.n_classes != n_classes {
            return Err(format!(
                "the tree has {} classes but the model lists {n_classes}",
                self.tree.n_classes
            ));
        }
        let mut parents = vec![0usize; nodes.len()];
        for (index, node) in nodes.iter().enumerate() {
            match node {
                Node::Leaf { class, counts } => {
                    if *class as usize >= n_classes || counts.len() != n_classes {
                        return Err(format!(
                            "leaf node {index} names class {class} or has {} counts, for {n_classes} classes",
                            counts.len()
                        ));
                    }
                }
                Node::Split {
                    feature,
                    threshold,
                    left,
                    right,
                } => {
                    if *feature >= self.preprocessing.features.len() {
                        return Err(format!(
                            "node {index} splits on feature {feature}, but there are {} features",
                            self.preprocessing.features.len()
                        ));
                    }
                    if !threshold.is_finite() {
                        return Err(format!("node {index} has threshold {threshold}"));
                    }
                    for child in [*left, *right] {
                        // Children come after their parent, so the tree has no loops.
                        if child <= index || child >= nodes.len() {
                            return Err(format!(
                                "node {index} points to node {child}, which is not a later node of the {} in the tree",
                                nodes.len()
                            ));
                        }
                        parents[child] += 1;
                    }
                }
            }
        }
        if let Some(node) = (1..nodes.len()).find(|&n| parents[n] != 1) {
            return Err(format!(
                "node {node} has {} parents instead of one",
                parents[node]
            ));
        }
        Ok(())
    }
}
