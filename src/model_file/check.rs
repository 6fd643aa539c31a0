//! Consistency checks on a decoded model, so a damaged file fails with a message instead of
//! an out-of-range index, a loop in the tree or a NaN threshold later on.

use super::{ColumnKind, ModelFile};
use crate::tree::{Feature, Node, Scaling};

impl ModelFile {
    /// Returns the first inconsistency found, as a phrase for an error message.
    pub fn check(&self) -> Result<(), String> {
        self.check_classes()?;
        self.check_features()?;
        self.check_tree()?;
        self.check_rows()?;
        self.check_settings()
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
            if let Feature::Numeric { scaling, .. } = feature {
                let scale = self.preprocessing.scale;
                if scaling.is_some() != (scale != Scaling::None) {
                    let has = if scaling.is_some() { "has a" } else { "has no" };
                    return Err(format!(
                        "feature {index} (`{column}`) {has} rescaling, but the preprocessing \
                         says `scale: {}`",
                        format!("{scale:?}").to_lowercase()
                    ));
                }
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

impl ModelFile {
    /// Checks the row counts: the parts of the split fit in the files, the tree was fitted on
    /// the rows the selection implies, and its leaves contain exactly those rows.
    fn check_rows(&self) -> Result<(), String> {
        let data = &self.training_data;
        if data.files.is_empty() {
            return Err("it lists no training data files".into());
        }
        let file_rows = data
            .files
            .iter()
            .try_fold(0usize, |sum, f| sum.checked_add(f.rows));
        let split_rows = data
            .train_rows
            .checked_add(data.validation_rows)
            .and_then(|rows| rows.checked_add(data.test_rows));
        match (file_rows, split_rows) {
            (Some(files), Some(split)) if split <= files => {}
            _ => {
                return Err(format!(
                    "its split of {} training, {} validation and {} test rows does not fit in \
                     the rows of its data files",
                    data.train_rows, data.validation_rows, data.test_rows
                ))
            }
        }
        // With cross-validation the tree is refitted on the training and validation rows.
        let (fitted, rows_meant) = match self.selection.cv_folds {
            None => (data.train_rows, "training rows"),
            Some(_) => (
                data.train_rows + data.validation_rows,
                "training and validation rows",
            ),
        };
        if data.fitted_rows != fitted {
            return Err(format!(
                "it says the tree was fitted on {} rows, but its {rows_meant} are {fitted}",
                data.fitted_rows
            ));
        }
        let in_leaves: u64 = self
            .tree
            .nodes
            .iter()
            .filter_map(|node| match node {
                Node::Leaf { counts, .. } => Some(counts.iter().map(|&c| u64::from(c)).sum()),
                Node::Split { .. } => None,
            })
            .fold(0u64, u64::saturating_add);
        if in_leaves != data.fitted_rows as u64 {
            return Err(format!(
                "its leaves hold {in_leaves} training rows, but the tree was fitted on {}",
                data.fitted_rows
            ));
        }
        Ok(())
    }

    /// Checks the hyperparameters, the selection and the scores against the ranges they can
    /// take.
    fn check_settings(&self) -> Result<(), String> {
        let params = &self.hyperparameters;
        crate::tree::fit::check_params(params).map_err(|e| {
            let problem = e.message();
            let problem = problem
                .strip_prefix("invalid tree setting: ")
                .unwrap_or(problem);
            format!("its hyperparameters are invalid: {problem}")
        })?;
        if let Some(max_depth) = params.max_depth {
            let depth = self.tree.depth();
            if depth > max_depth {
                return Err(format!(
                    "the tree is {depth} deep, but its max_depth is {max_depth}"
                ));
            }
        }
        let selection = &self.selection;
        if selection.settings_tried == 0 {
            return Err("it says no tree settings were tried".into());
        }
        if selection.cv_folds.is_some_and(|k| k < 2) {
            return Err("it names cross-validation with fewer than 2 folds".into());
        }
        let scores = [
            ("validation_score", selection.validation_score),
            ("test accuracy", self.test_scores.accuracy),
            ("test balanced_accuracy", self.test_scores.balanced_accuracy),
            ("test macro_f1", self.test_scores.macro_f1),
        ];
        if let Some((name, score)) = scores.iter().find(|(_, s)| !(0.0..=1.0).contains(s)) {
            return Err(format!("its {name} is {score}, outside 0 to 1"));
        }
        Ok(())
    }
}
