"""Body analysis: MediaPipe pose and person mask (:mod:`.person`), the pose and the body's
unit of length (:mod:`.pose`), landmark names (:mod:`.landmarks`), body-part regions
(:mod:`.regions`) and the colour models they use (:mod:`.colour`)."""
